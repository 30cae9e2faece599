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
  const lines = text.split('\n');
  const parsed = parseDiff(text);
  const files: FileDiff[] = [];
  let cursor = 0;
  for (const file of parsed) {
    const fileStart = findFileStart(lines, cursor);
    const firstChunk = file.chunks[0];
    const binary = !firstChunk && isBinaryBlock(lines, fileStart);
    const oldPath = stripPrefix(file.from ?? '/dev/null');
    const newPath = stripPrefix(file.to ?? '/dev/null');
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
        problems.push(`truncated hunk at line ${hunk.headerLine} (${newPath}): ` +
          `expected ${chunk.oldLines}/${chunk.newLines} old/new lines, found ${seenOld}/${seenNew}`);
      }
      hunks.push(hunk);
    }
    if (fileStart >= 0 && !firstChunk) cursor = Math.max(cursor, fileStart + 1);
    files.push({ oldPath, newPath, status: statusOf(file, oldPath, newPath, binary), hunks });
  }
  return { files, problems };
}

function mayHoldDiff(text: string): boolean {
  return /^(diff |--- |@@ )/m.test(text);
}

function stripPrefix(path: string): string {
  return path.replace(/^[ab]\//, '');
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
