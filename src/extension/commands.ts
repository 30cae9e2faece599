import * as vscode from 'vscode';
import { DOCUMENTS } from './selector.js';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';
import { rulePages, showRuleDoc } from './rule-docs.js';
import type { StatusItem } from './status.js';

/**
 * The commands. The server executes p2pcheck.checkStaged, checkGitRange, ignoreFinding and
 * showRuleDocs (the language client registers them); the middleware shows rule pages in VS Code's
 * Markdown preview, asks for a range when none is given, and turns the server's null into undefined.
 */
export function serverCommandMiddleware(extensionUri: vscode.Uri): NonNullable<Middleware['executeCommand']> {
  return async (command, args, next) => {
    if (command === 'p2pcheck.showRuleDocs') return showRuleDoc(extensionUri, String(args[0]));
    if (command === 'p2pcheck.checkGitRange' && typeof args[0] !== 'string') {
      const range = await vscode.window.showInputBox({ prompt: 'Git range to check, one finding list per commit', value: 'HEAD~1..HEAD' });
      if (!range) return undefined;
      args = [range];
    }
    return (await next(command, args)) ?? undefined;
  };
}

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, status: StatusItem): vscode.Disposable[] {
  const extensionUri = context.extensionUri;
  return [
    vscode.commands.registerCommand('p2pcheck.checkActiveFile', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !vscode.languages.match(DOCUMENTS, doc)) {
        return void vscode.window.showInformationMessage('p2pcheck: the active editor holds no patch, mail or C file.');
      }
      const found = await vscode.commands.executeCommand<number | null>('p2pcheck.checkDocument', doc.uri.toString());
      return found ?? status.count(doc.uri);
    }),
    vscode.commands.registerCommand('p2pcheck.explainRule', async () => {
      const pick = await vscode.window.showQuickPick(
        rulePages(extensionUri).map((r) => ({ label: `${r.id} ${r.slug}`, description: r.name, detail: r.summary, id: r.id })),
        { placeHolder: 'Which p2pcheck rule?', matchOnDetail: true },
      );
      if (pick) await showRuleDoc(extensionUri, pick.id);
    }),
  ];
}
