import * as vscode from 'vscode';
import { CONFIG_FILE } from '../config/project-config.js';
import { findingHoverMarkdown } from '../report/rule-docs.js';
import { ruleById } from '../rules/index.js';
import type { LintController } from './lint-controller.js';
import { toRange } from './lint-controller.js';

/** Hover on a flagged range only: the rule's summary, why, fix, versions and threads. */
export class FindingHoverProvider implements vscode.HoverProvider {
  constructor(private readonly controller: LintController) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const hits = this.controller.resultsFor(doc.uri).filter((d) => toRange(d.range).contains(position));
    if (hits.length === 0) return undefined;
    const parts = hits.flatMap((d) => {
      const rule = ruleById(d.finding.rule);
      if (!rule) return [];
      const md = new vscode.MarkdownString(findingHoverMarkdown(rule, d.finding));
      md.isTrusted = false;
      return [md];
    });
    return new vscode.Hover(parts, toRange(hits[0]!.range));
  }
}

/** The finding's mechanical fix, its documentation, and an entry in the project's ignore list. */
export class FindingCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly controller: LintController) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of this.controller.resultsFor(doc.uri)) {
      if (!toRange(d.range).intersection(range)) continue;
      const f = d.finding;
      const suggestion = f.suggestion;
      if (suggestion && suggestion.edits.every((e) => sameLines(doc, e.startLine, e.endLine, e.expected))) {
        const fix = new vscode.CodeAction(`${f.rule}: ${suggestion.title}`, vscode.CodeActionKind.QuickFix);
        fix.isPreferred = true;
        fix.edit = new vscode.WorkspaceEdit();
        for (const e of suggestion.edits) {
          const end = doc.lineAt(e.endLine - 1).range.end;
          fix.edit.replace(doc.uri, new vscode.Range(e.startLine - 1, 0, end.line, end.character), e.newLines.join('\n'));
        }
        actions.push(fix);
      }
      const docs = new vscode.CodeAction(`Show documentation for ${f.rule}`, vscode.CodeActionKind.QuickFix);
      docs.command = { title: docs.title, command: 'p2pcheck.showRuleDocs', arguments: [f.rule] };
      actions.push(docs);
      const ignore = new vscode.CodeAction(`Ignore this ${f.rule} finding (${CONFIG_FILE})`, vscode.CodeActionKind.QuickFix);
      ignore.command = { title: ignore.title, command: 'p2pcheck.ignoreFinding', arguments: [doc.uri, { rule: f.rule, path: f.path, fingerprint: f.fingerprint }] };
      actions.push(ignore);
    }
    return actions;
  }
}

function sameLines(doc: vscode.TextDocument, start: number, end: number, expected: readonly string[]): boolean {
  if (end > doc.lineCount) return false;
  for (let i = start; i <= end; i++) if (doc.lineAt(i - 1).text !== expected[i - start]) return false;
  return true;
}
