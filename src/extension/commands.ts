import { join } from 'node:path';
import * as vscode from 'vscode';
import { addIgnore, CONFIG_FILE, findConfig, type IgnoredFinding } from '../config/project-config.js';
import { lintDocument, treeContext } from '../engine/lint.js';
import { RULES } from '../rules/index.js';
import { gitRange, gitStaged, repositoryRoot, type GitInput } from '../tree/git-inputs.js';
import { isLintable, type LintController } from './lint-controller.js';
import { findingDiagnostic, showRuleDoc } from './rule-docs.js';
import { readSettings, withUserRules } from './settings.js';

export function registerCommands(context: vscode.ExtensionContext, controller: LintController): vscode.Disposable[] {
  const gitDiagnostics = vscode.languages.createDiagnosticCollection('p2pcheck-git');
  const extensionUri = context.extensionUri;
  return [
    gitDiagnostics,
    vscode.commands.registerCommand('p2pcheck.checkActiveFile', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !isLintable(doc)) return void vscode.window.showInformationMessage('p2pcheck: the active editor holds no patch, mail or C file.');
      const found = await controller.lintNow(doc);
      return found.length;
    }),
    vscode.commands.registerCommand('p2pcheck.checkStaged', () =>
      checkRepository(gitDiagnostics, extensionUri, 'staged changes', (root) => gitStaged(root))),
    vscode.commands.registerCommand('p2pcheck.checkGitRange', async (given?: string) => {
      const range = given ?? await vscode.window.showInputBox({ prompt: 'Git range to check, one finding list per commit', value: 'HEAD~1..HEAD' });
      if (!range) return undefined;
      return checkRepository(gitDiagnostics, extensionUri, range, (root) => gitRange(root, range));
    }),
    vscode.commands.registerCommand('p2pcheck.explainRule', async () => {
      const pick = await vscode.window.showQuickPick(
        RULES.map((r) => ({ label: `${r.meta.id} ${r.meta.slug}`, description: r.meta.defaultSeverity, detail: r.meta.summary, id: r.meta.id })),
        { placeHolder: 'Which p2pcheck rule?', matchOnDetail: true },
      );
      if (pick) await showRuleDoc(extensionUri, pick.id);
    }),
    vscode.commands.registerCommand('p2pcheck.showRuleDocs', (ruleId: string) => showRuleDoc(extensionUri, ruleId)),
    vscode.commands.registerCommand('p2pcheck.ignoreFinding', async (docUri: vscode.Uri, finding: IgnoredFinding) => {
      const folder = vscode.workspace.getWorkspaceFolder(docUri) ?? vscode.workspace.workspaceFolders?.[0];
      if (!folder) return void vscode.window.showWarningMessage(`p2pcheck: open a folder to keep ${CONFIG_FILE} in.`);
      const file = findConfig(folder.uri.fsPath).path ?? join(folder.uri.fsPath, CONFIG_FILE);
      addIgnore(file, finding);
      controller.relintAll();
      return file;
    }),
  ];
}

/** Lints what git gives for the repository and puts the findings on the real source files. */
async function checkRepository(
  collection: vscode.DiagnosticCollection,
  extensionUri: vscode.Uri,
  what: string,
  read: (root: string) => GitInput,
): Promise<number | undefined> {
  const folder = vscode.window.activeTextEditor
    ? vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri) : vscode.workspace.workspaceFolders?.[0];
  if (!folder) return void vscode.window.showWarningMessage('p2pcheck: open a folder inside a git repository.');
  try {
    const root = repositoryRoot(folder.uri.fsPath);
    const input = read(root);
    const settings = readSettings(folder.uri);
    const options = { kernelVersion: settings.kernelVersion, tree: treeContext(input.tree, true) };
    const { findings } = input.text.trim()
      ? await lintDocument(`${what}.patch`, input.text, options, withUserRules(findConfig(root).config, settings))
      : { findings: [] };
    collection.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of findings) {
      const list = byFile.get(f.path) ?? [];
      list.push(findingDiagnostic(f, new vscode.Range(f.line - 1, Math.max(f.column - 1, 0), f.line - 1, Number.MAX_SAFE_INTEGER), extensionUri));
      byFile.set(f.path, list);
    }
    for (const [path, list] of byFile) collection.set(vscode.Uri.file(join(root, path)), list);
    void vscode.window.showInformationMessage(`p2pcheck: ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${what}.`);
    return findings.length;
  } catch (e) {
    void vscode.window.showWarningMessage(`p2pcheck: ${what}: ${(e as Error).message}`);
    return undefined;
  }
}
