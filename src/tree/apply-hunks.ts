import type { DiffLine, FileDiff, Hunk } from '../input/patch-model.js';

/**
 * Applies a file's hunks to its pre-image in memory, as `git apply`/`patch` do: at the stated
 * position first, then at the nearest offset where the context and removed lines match. The
 * result is the whole file as one hunk: the tree's own lines as context (patch line 0), the
 * patch's lines in place with their real line numbers, so that rules see whole functions while
 * only the patch's added lines can carry a finding.
 */
export type Applied = { ok: true; file: FileDiff; postImage: string } | { ok: false; reason: string };

export function applyHunks(preImage: string, file: FileDiff): Applied {
  const pre = splitLines(preImage);
  const walk: DiffLine[] = [];
  let cursor = 0;
  let offset = 0;
  for (const hunk of file.hunks) {
    const at = locate(pre, hunk, hunk.oldStart - 1 + offset, cursor);
    if (at === undefined) return { ok: false, reason: `hunk at line ${hunk.headerLine} does not apply (${hunk.header})` };
    offset = at - (hunk.oldStart - 1);
    for (; cursor < at; cursor++) walk.push(treeLine(pre[cursor]!));
    for (const l of hunk.lines) {
      walk.push({ ...l });
      if (l.kind !== '+') cursor++;
    }
  }
  for (; cursor < pre.length; cursor++) walk.push(treeLine(pre[cursor]!));
  number(walk);
  const post = walk.filter((l) => l.kind !== '-').map((l) => l.text);
  const whole: Hunk = {
    oldStart: 1, oldLines: pre.length, newStart: 1, newLines: post.length, context: '', header: '',
    headerLine: file.hunks[0]?.headerLine ?? 0, lines: walk,
  };
  return { ok: true, file: { ...file, hunks: [whole] }, postImage: post.length ? `${post.join('\n')}\n` : '' };
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The pre-image index where the hunk's old lines match, nearest to `wanted`, not before `from`. */
function locate(pre: string[], hunk: Hunk, wanted: number, from: number): number | undefined {
  const old = hunk.lines.filter((l) => l.kind !== '+').map((l) => l.text);
  const matches = (at: number) => at >= from && at + old.length <= pre.length && old.every((t, i) => pre[at + i] === t);
  if (old.length === 0) return Math.min(Math.max(wanted, from), pre.length);
  for (let d = 0; d <= pre.length; d++) {
    if (matches(wanted - d)) return wanted - d;
    if (matches(wanted + d)) return wanted + d;
  }
  return undefined;
}

function treeLine(text: string): DiffLine {
  return { kind: ' ', text, patchLine: 0 };
}

function number(walk: DiffLine[]): void {
  let oldLine = 1;
  let newLine = 1;
  for (const l of walk) {
    if (l.kind !== '+') l.oldLine = oldLine++; else delete l.oldLine;
    if (l.kind !== '-') l.newLine = newLine++; else delete l.newLine;
  }
}
