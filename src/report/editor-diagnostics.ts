import type { PatchKind } from '../input/patch-model.js';
import type { Finding, Repair } from '../rules/rule.js';

/**
 * Where a finding sits in the document the user has open, in the editor's 0-based coordinates.
 * No `vscode` here: the extension turns these into its own objects, and tests check them as data.
 */
export interface EditorRange {
  line: number;
  startColumn: number;
  endColumn: number;
}

export interface EditorDiagnostic {
  finding: Finding;
  range: EditorRange;
  related: { range: EditorRange; message: string }[];
}

/**
 * In a patch the C text follows the one-character diff prefix, so a finding's column moves one
 * to the right; in a C file it is the column itself. A line that does not read as expected (an
 * encoded mail body) is flagged whole.
 */
export function editorDiagnostics(findings: readonly Finding[], kind: PatchKind, documentLines: readonly string[]): EditorDiagnostic[] {
  const rangeAt = rangeIn(kind, documentLines);
  return findings.map((finding) => ({
    finding,
    range: rangeAt(finding.patchLine, finding.column),
    related: finding.related.map((r) => ({ range: rangeAt(r.patchLine, 1), message: r.message })),
  }));
}

/** Repairs sit on the removed line that held the risky code. */
export function editorRepairs(repairs: readonly Repair[], kind: PatchKind, documentLines: readonly string[]): { repair: Repair; range: EditorRange }[] {
  const rangeAt = rangeIn(kind, documentLines);
  return repairs.map((repair) => ({ repair, range: rangeAt(repair.patchLine, 1) }));
}

function rangeIn(kind: PatchKind, documentLines: readonly string[]): (patchLine: number, column: number) => EditorRange {
  return (patchLine, column) => {
    const line = Math.min(Math.max(patchLine - 1, 0), Math.max(documentLines.length - 1, 0));
    const text = documentLines[line] ?? '';
    const end = text.trimEnd().length;
    const start = (kind === 'c-file' ? column - 1 : column);
    const first = text.search(/\S/);
    return { line, startColumn: start >= 0 && start < end ? start : Math.max(first, 0), endColumn: Math.max(end, 1) };
  };
}
