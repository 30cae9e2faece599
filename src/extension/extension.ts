import * as vscode from 'vscode';
import { locateParser } from '../c-parse/c-parser.js';
import { registerCommands } from './commands.js';
import { LintController } from './lint-controller.js';
import { FindingCodeActions, FindingHoverProvider } from './providers.js';

/** The editor shell: registers, and leaves every rule and every reading to the core. */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'diff' }, { language: 'kernel-patch' }, { language: 'c', pattern: '**/*.{c,h}' }, { language: 'c', scheme: 'untitled' },
];

export function activate(context: vscode.ExtensionContext): void {
  const wasm = vscode.Uri.joinPath(context.extensionUri, 'dist', 'extension').fsPath;
  locateParser({ runtimeWasmDir: wasm, grammarWasm: `${wasm}/tree-sitter-c.wasm` });
  const controller = new LintController(context.extensionUri);
  context.subscriptions.push(
    controller,
    vscode.languages.registerHoverProvider(SELECTOR, new FindingHoverProvider(controller)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new FindingCodeActions(controller), { providedCodeActionKinds: FindingCodeActions.kinds }),
    ...registerCommands(context, controller),
  );
}

export function deactivate(): void {
  // subscriptions are disposed by VS Code
}
