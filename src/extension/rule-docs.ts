import * as vscode from 'vscode';
import type { Finding, Severity } from '../rules/rule.js';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The rule pages the bundle ships: dist/extension/docs/R2.md, generated from the rules' metadata. */
export function ruleDocUri(extensionUri: vscode.Uri, ruleId: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'extension', 'docs', `${ruleId}.md`);
}

export async function showRuleDoc(extensionUri: vscode.Uri, ruleId: string): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', ruleDocUri(extensionUri, ruleId));
}

/** A finding as VS Code shows it: source p2pcheck, the rule id as code linking to its page. */
export function findingDiagnostic(f: Finding, range: vscode.Range, extensionUri: vscode.Uri): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  d.source = 'p2pcheck';
  d.code = { value: f.rule, target: ruleDocUri(extensionUri, f.rule) };
  return d;
}
