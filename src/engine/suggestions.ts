import type { FileDiff, Patch } from '../input/patch-model.js';
import type { RuleSuggestion, Suggestion, TextEdit } from '../rules/rule.js';

/**
 * Turns a rule's suggestion (added lines → new lines) into edits of the input file. In a patch the
 * new lines keep the `+` prefix and the hunk header's new-side count follows, so the patch still
 * applies. Only runs of added lines are rewritten; anything else yields no suggestion.
 */
export function toSuggestion(patch: Patch, file: FileDiff, s: RuleSuggestion): Suggestion | undefined {
  const lines = s.replace;
  if (lines.length === 0 || lines.some((l) => l.kind !== '+')) return undefined;
  if (lines.some((l, i) => i > 0 && l.patchLine !== lines[i - 1]!.patchLine + 1)) return undefined;
  const wholeFile = patch.kind === 'c-file';
  const prefix = wholeFile ? '' : '+';
  const edits: TextEdit[] = [{
    startLine: lines[0]!.patchLine,
    endLine: lines.at(-1)!.patchLine,
    expected: lines.map((l) => prefix + l.text),
    newLines: s.lines.map((t) => prefix + t),
  }];
  if (!wholeFile) {
    const hunk = file.hunks.find((h) => h.lines.some((l) => l.patchLine === lines[0]!.patchLine));
    if (!hunk) return undefined;
    const newCount = hunk.newLines - lines.length + s.lines.length;
    edits.unshift({
      startLine: hunk.headerLine,
      endLine: hunk.headerLine,
      expected: [hunk.header],
      newLines: [hunk.header.replace(/^@@ -(\S+) \+\d+(,\d+)?/, `@@ -$1 +${hunk.newStart},${newCount}`)],
    });
  }
  return { title: s.title, edits };
}

/** Applies edits to the lines of a text (the CLI and tests; the editor applies them itself). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  for (const e of [...edits].sort((a, b) => b.startLine - a.startLine)) {
    const current = lines.slice(e.startLine - 1, e.endLine);
    if (current.join('\n') !== e.expected.join('\n')) throw new Error(`line ${e.startLine} changed since the check`);
    lines.splice(e.startLine - 1, e.endLine - e.startLine + 1, ...e.newLines);
  }
  return lines.join('\n');
}
