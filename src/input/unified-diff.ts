import parseDiff from 'parse-diff';
import type { DiffLine, FileDiff, FileStatus, Hunk } from './patch-model.js';

/**
 * Reads the unified diffs inside `text` (a mail body or a plain diff). parse-diff gives the
 * structure; it does not say where each line stands in the input, whether a hunk was cut short
 * or a diff is binary, so this walks the same lines once more for that.
 *
 * Hunks are first read by their counts, as `git apply` does: a hunk broken by a mail client (a
 * wrapped line, lines past its stated length) is dropped with a notice like checkpatch's "patch
 * seems to be corrupt", and the other hunks are still read. A hunk cut short (a quoted part of a
 * diff, a mail cut off) keeps the lines read so far, with a notice.
 *
 * `inputLineOf(i)` turns a 0-based line index of `text` into the 1-based line of the input file.
 */
export function readUnifiedDiff(
  text: string,
  inputLineOf: (index: number) => number,
): { files: FileDiff[]; problems: string[]; notices: string[] } {
  const problems: string[] = [];
  if (!mayHoldDiff(text)) return { files: [], problems, notices: [] };
  // Without this, parse-diff reads the empty string after the final newline into a cut hunk.
  const clean = byCounts((text.endsWith('\n') ? text.slice(0, -1) : text).split('\n'), inputLineOf);
  const notices = clean.notices;
  const lines = clean.lines;
  const lineOf = (index: number) => inputLineOf(clean.origin[index] ?? index);
  let parsed: parseDiff.File[];
  try {
    parsed = parseDiff(guardNoNewline(lines));
  } catch (e) {
    problems.push(`a diff that could not be read (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
    return { files: [], problems, notices };
  }
  const files: FileDiff[] = [];
  let cursor = 0;
  for (const file of parsed) {
    const fileStart = findFileStart(lines, cursor);
    const firstChunk = file.chunks[0];
    const binary = !firstChunk && isBinaryBlock(lines, fileStart);
    const firstHeader = firstChunk ? lines.indexOf(firstChunk.content, cursor) : -1;
    const { oldPath, newPath } = pathsOf(file, lines, fileStart, firstHeader);
    const hunks: Hunk[] = [];
    for (const chunk of file.chunks) {
      const headerIndex = lines.indexOf(chunk.content, cursor);
      if (headerIndex < 0) break;
      cursor = headerIndex + 1;
      const hunk: Hunk = {
        oldStart: chunk.oldStart,
        oldLines: chunk.oldLines,
        newStart: chunk.newStart,
        newLines: chunk.newLines,
        context: chunk.content.replace(/^@@[^@]*@@\s?/, ''),
        header: chunk.content,
        headerLine: lineOf(headerIndex),
        lines: [],
      };
      let oldLine = chunk.oldStart;
      let newLine = chunk.newStart;
      for (const change of chunk.changes) {
        const index = cursor++;
        if (change.content.startsWith('\\')) continue; // "\ No newline at end of file"
        const kind = change.type === 'add' ? '+' : change.type === 'del' ? '-' : ' ';
        const line: DiffLine = { kind, text: change.content.slice(1), patchLine: lineOf(index) };
        if (kind !== '+') line.oldLine = oldLine++;
        if (kind !== '-') line.newLine = newLine++;
        hunk.lines.push(line);
      }
      const seenOld = oldLine - chunk.oldStart;
      const seenNew = newLine - chunk.newStart;
      if (seenOld < chunk.oldLines || seenNew < chunk.newLines) {
        notices.push(`truncated hunk at line ${hunk.headerLine} (${newPath === '/dev/null' ? oldPath : newPath}): ` +
          `expected ${chunk.oldLines}/${chunk.newLines} old/new lines, found ${seenOld}/${seenNew}; the lines read were checked`);
      }
      hunks.push(hunk);
    }
    if (fileStart >= 0 && !firstChunk) cursor = Math.max(cursor, fileStart + 1);
    // `index 1a2b3c..4d5e6f 100644`: the pre-image blob, which a git tree can still hold when its file moved on
    const oldBlob = /^([0-9a-f]{7,40})\.\.[0-9a-f]{7,40}$/.exec(file.index?.[0] ?? '')?.[1];
    files.push({ oldPath, newPath, status: statusOf(file, oldPath, newPath, binary), hunks, ...(oldBlob && !/^0+$/.test(oldBlob) ? { oldBlob } : {}) });
  }
  return { files, problems, notices };
}

/** A mail's prose: the lines before its first diff, and the `base-commit:`-style trailers after it. */
export function mailProse(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l, i) => l.startsWith('diff ') || (l.startsWith('--- ') && !!lines[i + 1]?.startsWith('+++ ')));
  const head = start < 0 ? lines : lines.slice(0, start);
  const tail = start < 0 ? [] : lines.slice(start).filter((l) => /^(base-commit|prerequisite-[\w-]+|change-id):/i.test(l));
  return [...head, ...tail].join('\n').slice(0, 64 * 1024);
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * The lines of `lines` that parse-diff should see: headers and prose before and between file
 * diffs, and each hunk's lines as far as its counts reach (an empty line inside a hunk is an empty
 * context line whose space a mailer stripped). Nothing after a complete hunk until the next header:
 * a line there that reads as a diff line means the hunk was broken (a wrapped line that happened
 * to start with a space, +, or -), and the hunk is dropped. `origin` maps back to `lines`.
 */
function byCounts(lines: readonly string[], inputLineOf: (index: number) => number): { lines: string[]; origin: number[]; notices: string[] } {
  const out: string[] = [];
  const origin: number[] = [];
  const notices: string[] = [];
  let path = '';
  let open: { start: number; header: number; old: number; new: number; oldTotal: number; newTotal: number } | undefined;
  let done: { start: number; header: number } | undefined; // the last complete hunk, while nothing else followed it
  let leftover: number[] = [];
  let skipping = false;
  const push = (text: string, i: number) => { out.push(text); origin.push(i); };
  const drop = (hunk: { start: number; header: number }, at: number, why: string) => {
    notices.push(`patch seems to be corrupt (line wrapped?) at line ${inputLineOf(at)}: ${why}; ` +
      `the hunk at line ${inputLineOf(hunk.header)}${path ? ` (${path})` : ''} was skipped, the other hunks were checked`);
    out.length = hunk.start;
    origin.length = hunk.start;
  };
  const isHeader = (i: number) => {
    const l = lines[i]!;
    return HUNK_HEADER.test(l) || l.startsWith('diff ') || (l.startsWith('--- ') && !!lines[i + 1]?.startsWith('+++ '));
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (open) {
      const c = line[0] ?? '';
      if (c === '\\') { push(line, i); continue; }
      if (c === '' || c === ' ' || c === '-' || c === '+') {
        if (c !== '+') open.old--;
        if (c !== '-') open.new--;
        if (open.old < 0 || open.new < 0) { // more of one kind than the header says: the rest is past its end
          drop(open, i, `more ${c === '+' ? 'added' : c === '-' ? 'removed' : 'context'} lines than the hunk header states`);
          open = undefined;
          skipping = true;
          continue;
        }
        push(c === '' ? ' ' : line, i);
        if (open.old === 0 && open.new === 0) { done = open; open = undefined; leftover = []; }
        continue;
      }
      if (isHeader(i)) {
        // cut short by the next header: the lines so far stay, and the header is given the counts
        // they have, or the diff reader would take the next file's lines into this hunk
        const seenOld = open.oldTotal - open.old;
        const seenNew = open.newTotal - open.new;
        const m = HUNK_HEADER.exec(out[open.start]!)!;
        out[open.start] = out[open.start]!.replace(HUNK_HEADER, `@@ -${m[1]},${seenOld} +${m[3]},${seenNew} @@`);
        notices.push(`truncated hunk at line ${inputLineOf(open.header)}${path ? ` (${path})` : ''}: expected ${open.oldTotal}/${open.newTotal} ` +
          `old/new lines, found ${seenOld}/${seenNew} before the next header; the lines read were checked`);
        open = undefined;
      } else {
        drop(open, i, `'${line.slice(0, 40)}' is not a diff line`);
        open = undefined;
        skipping = true;
        continue;
      }
    }
    if (skipping && !isHeader(i)) continue;
    skipping = false;
    const hunk = HUNK_HEADER.exec(line);
    if (hunk || isHeader(i)) {
      if (done && leftover.some((j) => lines[j] !== '')) drop(done, leftover[0]!, 'lines past the end of the hunk');
      done = undefined;
      leftover = [];
    }
    if (hunk) {
      open = { start: out.length, header: i, old: Number(hunk[2] ?? 1), new: Number(hunk[4] ?? 1), oldTotal: Number(hunk[2] ?? 1), newTotal: Number(hunk[4] ?? 1) };
      push(line, i);
      if (open.old === 0 && open.new === 0) { done = open; open = undefined; }
      continue;
    }
    if (done) {
      // after a complete hunk: diff-looking lines are held until we know whether a header follows
      if (/^[ +-]|^$/.test(line) && !/^--\s*$/.test(line)) { leftover.push(i); continue; }
      if (leftover.some((j) => /^[+-]/.test(lines[j]!))) {
        drop(done, leftover.find((j) => /^[+-]/.test(lines[j]!))!, 'lines past the end of the hunk');
      }
      done = undefined;
      leftover = [];
      skipping = true; // the diff's end (signature, trailers): parse-diff must not read it into the hunk
      continue;
    }
    const named = /^\+\+\+ (?:b\/)?(\S+)/.exec(line) ?? /^diff --git a\/\S+ b\/(\S+)/.exec(line);
    if (named) path = named[1]!;
    push(line, i);
  }
  if (done && leftover.some((j) => /^[+-]/.test(lines[j]!))) drop(done, leftover.find((j) => /^[+-]/.test(lines[j]!))!, 'lines past the end of the hunk');
  return { lines: out, origin, notices };
}

const HUNK_HEADER_AT = /^@@\s+-(\d+),?(\d+)?\s+\+(\d+),?(\d+)?\s@@/;
const NO_NEWLINE = '\\ No newline at end of file';

/**
 * parse-diff fails on a "\ No newline at end of file" line that follows a hunk header directly
 * (it marks the line before, and there is none): such a line gets a trailing space, which
 * parse-diff takes as a line of the hunk, and the walk below skips as it skips every "\" line.
 */
function guardNoNewline(lines: readonly string[]): string {
  if (!lines.some((l, i) => l === NO_NEWLINE && i > 0 && HUNK_HEADER_AT.test(lines[i - 1]!))) return lines.join('\n');
  return lines.map((l, i) => (l === NO_NEWLINE && i > 0 && HUNK_HEADER_AT.test(lines[i - 1]!) ? `${l} ` : l)).join('\n');
}

function mayHoldDiff(text: string): boolean {
  return /^(diff |--- |@@ )/m.test(text);
}

/**
 * A git diff's paths come from parse-diff. Those of `diff -u` output (quilt, `diff -urN`) are read
 * as `patch -p1` reads them, the first directory (linux.orig/, a/, ...) and the timestamp dropped:
 * parse-diff strips only git's prefixes.
 */
function pathsOf(file: parseDiff.File, lines: string[], fileStart: number, firstHeader: number): { oldPath: string; newPath: string } {
  const git = fileStart >= 0 && (firstHeader < 0 || fileStart < firstHeader) && lines[fileStart]!.startsWith('diff --git ');
  const names = [lines[firstHeader - 2], lines[firstHeader - 1]];
  if (git || !names[0]?.startsWith('--- ') || !names[1]?.startsWith('+++ ')) {
    return { oldPath: file.from ?? '/dev/null', newPath: file.to ?? '/dev/null' };
  }
  const p1 = (line: string) => {
    const path = line.slice(4).split('\t')[0]!.trim();
    return path === '/dev/null' ? path : path.replace(/^[^/]*\//, '');
  };
  return { oldPath: p1(names[0]), newPath: p1(names[1]) };
}

function statusOf(file: parseDiff.File, oldPath: string, newPath: string, binary: boolean): FileStatus {
  if (binary) return 'binary';
  if (file.new || oldPath === '/dev/null') return 'added';
  if (file.deleted || newPath === '/dev/null') return 'deleted';
  if (oldPath !== newPath) return 'renamed';
  return 'modified';
}

function findFileStart(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) if (lines[i]!.startsWith('diff ')) return i;
  return -1;
}

function isBinaryBlock(lines: string[], start: number): boolean {
  if (start < 0) return false;
  for (let i = start + 1; i < lines.length && i < start + 8; i++) {
    const line = lines[i]!;
    if (line.startsWith('diff ')) return false;
    if (line.startsWith('Binary files ') || line === 'GIT binary patch') return true;
  }
  return false;
}
