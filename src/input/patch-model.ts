/** What every reader produces: patches made of file diffs made of hunks made of lines. */

export type LineKind = '+' | '-' | ' ';

export interface DiffLine {
  kind: LineKind;
  /** The line's text without its +/-/space prefix. */
  text: string;
  /** 1-based line in the input file (the mail, mbox, diff or C file as given). */
  patchLine: number;
  /** Line in the pre-image (removed and context lines). */
  oldLine?: number;
  /** Line in the post-image (added and context lines). */
  newLine?: number;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Text after the second `@@`: git's function context, often the enclosing function's head. */
  context: string;
  /** The `@@` header line as written. */
  header: string;
  /** 1-based line of the `@@` header in the input file. */
  headerLine: number;
  lines: DiffLine[];
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'binary';

export interface FileDiff {
  /** Pre-image path without the a/ prefix; /dev/null for a new file. */
  oldPath: string;
  /** Post-image path without the b/ prefix; /dev/null for a deleted file. */
  newPath: string;
  status: FileStatus;
  hunks: Hunk[];
  /** The pre-image blob's (abbreviated) id from git's `index` line, when the diff has one. */
  oldBlob?: string;
}

export type PatchKind = 'mail' | 'diff' | 'c-file';

/** What a mail's headers say of it (empty subject for a plain diff or C file). */
export interface MailHeaders {
  subject: string;
  /** The Date header as written. */
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  from?: string;
  to?: string[];
  cc?: string[];
}

/** One patch: a mail of a series, a plain diff, or a C file treated as wholly added. */
export interface Patch extends MailHeaders {
  kind: PatchKind;
  /** The input as the user named it (path, or "-" for standard input). */
  input: string;
  /** 0-based index of the mail inside an mbox; 0 otherwise. */
  mailIndex: number;
  /** 1-based first line of this patch's mail inside the input file. */
  firstLine: number;
  files: FileDiff[];
  /** Problems found while reading that did not stop the reading (a truncated hunk, say). */
  problems: string[];
  /** Damaged hunks (wrapped lines, a diff cut short): a notice like checkpatch's "patch seems to be corrupt", never an error. */
  notices?: string[];
  /** A mail's text outside its diffs: commit message, notes, `base-commit:` trailers (for the era). */
  description?: string;
}

/** The path a finding names: the post-image path, or the pre-image one for a deleted file. */
export function targetPath(file: FileDiff): string {
  return file.newPath === '/dev/null' ? file.oldPath : file.newPath;
}

/** Where a removed line stood in the post-image: the line that now follows it. */
export function postImageLineAt(file: FileDiff, removed: DiffLine): number | undefined {
  const hunk = file.hunks.find((h) => h.lines.includes(removed));
  if (!hunk) return undefined;
  const after = hunk.lines.slice(hunk.lines.indexOf(removed)).find((l) => l.newLine !== undefined);
  return after?.newLine ?? hunk.newStart + hunk.newLines;
}
