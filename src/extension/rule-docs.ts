import { readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';

/** The rule pages the bundle ships: dist/extension/docs/R2.md, generated from the rules' metadata. */
export function ruleDocUri(extensionUri: vscode.Uri, ruleId: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'extension', 'docs', `${ruleId}.md`);
}

export async function showRuleDoc(extensionUri: vscode.Uri, ruleId: string): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', ruleDocUri(extensionUri, ruleId));
}

export interface RulePage {
  id: string;
  slug: string;
  name: string;
  summary: string;
}

/** The rules as their pages name them ("# R2 `slug`: name", then the summary): the client imports no rule code. */
export function rulePages(extensionUri: vscode.Uri): RulePage[] {
  const dir = vscode.Uri.joinPath(extensionUri, 'dist', 'extension', 'docs').fsPath;
  return readdirSync(dir).filter((f) => /^R\d+\.md$/.test(f)).sort((a, b) => Number(a.slice(1, -3)) - Number(b.slice(1, -3))).map((f) => {
    const [title = '', , summary = ''] = readFileSync(`${dir}/${f}`, 'utf8').split('\n');
    const m = /^# (R\d+) `([^`]+)`: (.*)$/.exec(title);
    return { id: m?.[1] ?? f.slice(0, -3), slug: m?.[2] ?? '', name: m?.[3] ?? '', summary };
  });
}
