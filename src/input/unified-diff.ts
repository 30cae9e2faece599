import parseDiff from 'parse-diff';
import type { DiffLine, FileDiff, FileStatus, Hunk } from './patch-model.js';

/**
 * Reads the unified diffs inside `text` (a mail body or a plain diff). parse-diff gives the
 * structure; it does not say where each line stands in the input, whether a hunk was cut short
 * or a diff is binary, so this walks the same lines once more for that.
 *
 * `inputLineOf(i)` turns a 0-based line index of `text` into the 1-based line of the input file.
 */
export function readUnifiedDiff(
  text: string,
  inputLineOf: (index: number) => number,
): { files: FileDiff[]; problems: string[] } {
  const problems: string[] = [];
  if (!mayHoldDiff(text)) return { files: [], problems };
  // Without this, parse-diff reads the empty string after the final newline into a cut hunk.
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body.split('\n');
  let parsed: parseDiff.File[];
  try {
    parsed = parseDiff(guardNoNewline(lines));
  } catch (e) {
    problems.push(`a diff that could not be read (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
    return { files: [], problems };
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
        headerLine: inputLineOf(headerIndex),
        lines: [],
      };
      let oldLine = chunk.oldStart;
      let newLine = chunk.newStart;
      for (const change of chunk.changes) {
        const index = cursor++;
        if (change.content.startsWith('\\')) continue; // "\ No newline at end of file"
        const kind = change.type === 'add' ? '+' : change.type === 'del' ? '-' : ' ';
        const line: DiffLine = { kind, text: change.content.slice(1), patchLine: inputLineOf(index) };
        if (kind !== '+') line.oldLine = oldLine++;
        if (kind !== '-') line.newLine = newLine++;
        hunk.lines.push(line);
      }
      const seenOld = oldLine - chunk.oldStart;
      const seenNew = newLine - chunk.newStart;
      if (seenOld < chunk.oldLines || seenNew < chunk.newLines) {
        problems.push(`truncated hunk at line ${hunk.headerLine} (${newPath === '/dev/null' ? oldPath : newPath}): ` +
          `expected ${chunk.oldLines}/${chunk.newLines} old/new lines, found ${seenOld}/${seenNew}`);
      }
      hunks.push(hunk);
    }
    if (fileStart >= 0 && !firstChunk) cursor = Math.max(cursor, fileStart + 1);
    files.push({ oldPath, newPath, status: statusOf(file, oldPath, newPath, binary), hunks });
  }
  return { files, problems };
}

const HUNK_HEADER = /^@@\s+-(\d+),?(\d+)?\s+\+(\d+),?(\d+)?\s@@/;
const NO_NEWLINE = '\\ No newline at end of file';

/**
 * parse-diff fails on a "\ No newline at end of file" line that follows a hunk header directly
 * (it marks the line before, and there is none): such a line gets a trailing space, which
 * parse-diff takes as a line of the hunk, and the walk below skips as it skips every "\" line.
 */
function guardNoNewline(lines: readonly string[]): string {
  if (!lines.some((l, i) => l === NO_NEWLINE && i > 0 && HUNK_HEADER.test(lines[i - 1]!))) return lines.join('\n');
  return lines.map((l, i) => (l === NO_NEWLINE && i > 0 && HUNK_HEADER.test(lines[i - 1]!) ? `${l} ` : l)).join('\n');
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
