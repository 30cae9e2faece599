import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands, serverCommandMiddleware } from './commands.js';
import { DOCUMENTS } from './selector.js';
import { StatusItem } from './status.js';

/**
 * The VS Code shell, a client of the p2pcheck language server (dist/extension/server.cjs): the
 * diagnostics, hovers and code actions come from the server, as every other editor gets them; the
 * grammar, the commands, the status item and the settings stay here.
 */
let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'extension', 'server.cjs').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENTS as LanguageClientOptions['documentSelector'],
    diagnosticCollectionName: 'p2pcheck',
    middleware: { executeCommand: serverCommandMiddleware(context.extensionUri) },
  };
  client = new LanguageClient('p2pcheck', 'p2pcheck', serverOptions, clientOptions);
  const status = new StatusItem(client);
  context.subscriptions.push(status, ...registerCommands(context, client, status));
  await client.start();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
