import * as vscode from 'vscode';

/** The rule pages the bundle ships: dist/extension/docs/R2.md, generated from the rules' metadata. */
export function ruleDocUri(extensionUri: vscode.Uri, ruleId: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'extension', 'docs', `${ruleId}.md`);
}

export async function showRuleDoc(extensionUri: vscode.Uri, ruleId: string): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', ruleDocUri(extensionUri, ruleId));
}
