import { postImageLineAt, type DiffLine, type FileDiff, type Hunk, type Patch } from '../input/patch-model.js';
import type { Finding, Repair } from '../rules/rule.js';

/**
 * Repair detection: a patch whose removed lines hold a risky pattern that its added lines no
 * longer have. The rules run unchanged over the reversed patch (removed lines become added ones),
 * and a reversed finding with no forward finding of the same rule in the same function is a repair.
 */
export function reversePatch(patch: Patch): Patch {
  return { ...patch, files: patch.files.map(reverseFile) };
}

function reverseFile(file: FileDiff): FileDiff {
  const status = file.status === 'added' ? 'deleted' : file.status === 'deleted' ? 'added' : file.status;
  return { oldPath: file.newPath, newPath: file.oldPath, status, hunks: file.hunks.map(reverseHunk) };
}

function reverseHunk(h: Hunk): Hunk {
  return {
    ...h,
    oldStart: h.newStart, oldLines: h.newLines, newStart: h.oldStart, newLines: h.oldLines,
    lines: h.lines.map(reverseLine),
  };
}

function reverseLine(l: DiffLine): DiffLine {
  const kind = l.kind === '+' ? '-' : l.kind === '-' ? '+' : ' ';
  return { kind, text: l.text, patchLine: l.patchLine, oldLine: l.newLine, newLine: l.oldLine };
}

/**
 * Reversed findings that the forward patch no longer has, as repairs at the post-image position.
 * A rule that still fires in the same file means the pattern moved (into a helper, say), not that
 * it was repaired.
 */
export function repairsOf(patch: Patch, forward: readonly Finding[], reversed: readonly Finding[]): Repair[] {
  const still = new Set(forward.map((f) => `${f.rule}\0${f.path}`));
  const seen = new Set<string>();
  const repairs: Repair[] = [];
  const removedLines = new Set(patch.files.flatMap((f) => f.hunks.flatMap((h) => h.lines)).filter((l) => l.kind === '-').map((l) => l.patchLine));
  for (const r of reversed) {
    const k = `${r.rule}\0${r.path}\0${r.function ?? ''}`;
    // a reversed finding about a removal sits on a line the forward patch adds: not a repair of removed code
    if (!removedLines.has(r.patchLine) || still.has(`${r.rule}\0${r.path}`) || seen.has(k)) continue;
    seen.add(k);
    repairs.push({
      rule: r.rule,
      slug: r.slug,
      input: r.input,
      mail: r.mail,
      subject: r.subject,
      messageId: r.messageId,
      path: r.path,
      oldLine: r.line,
      line: postImageLine(patch, r),
      patchLine: r.patchLine,
      function: r.function,
      message: `repairs ${r.rule} in ${r.function ?? r.path}: the removed code had it (${firstSentence(r.message)})`,
    });
  }
  return repairs;
}

/** The post-image position of the removed line a reversed finding sits on. */
function postImageLine(patch: Patch, r: Finding): number {
  for (const file of patch.files) {
    const line = file.hunks.flatMap((h) => h.lines).find((l) => l.patchLine === r.patchLine && l.kind === '-');
    if (line) return postImageLineAt(file, line) ?? r.line;
  }
  return r.line;
}

function firstSentence(message: string): string {
  const end = message.search(/[;.](\s|$)/);
  return end > 0 ? message.slice(0, end) : message;
}
