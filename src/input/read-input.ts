import { isUtf8 } from 'node:buffer';
import { splitMbox, startsWithMboxSeparator } from './mbox.js';
import { plainMailBody, plainMailHeaders } from './plain-mail.js';
import type { FileDiff, Patch } from './patch-model.js';
import { mailProse, readUnifiedDiff } from './unified-diff.js';

/** An input that cannot be read as a patch, mail, mbox or C file. The message is one line. */
export class InputError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`${input}: ${reason}`);
  }
}

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** Archived mails often carry many kilobytes of Received/ARC/DKIM headers before Subject and From. */
const HEADER_SCAN = 1024 * 1024;
/** NUL bytes in this many first bytes make an input binary. */
export const NUL_SCAN = 65536;

export interface ReadOptions {
  maxBytes?: number;
  /**
   * The pre-filter on a mail's raw text: true when the mail cannot give a finding. Such a plain
   * mail is read without the mail library (its diff only, for the problems it may have).
   */
  cannotReport?: (rawText: string) => boolean;
}

/** Reads one input (already loaded as bytes) into the patches it holds. Detection is by content. */
export async function readInput(input: string, bytes: Buffer, options: ReadOptions = {}): Promise<Patch[]> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) {
    throw new InputError(input, `too large (${bytes.length} bytes, limit ${maxBytes}; see --max-bytes)`);
  }
  // nothing to check, as checkpatch.pl says of an empty patch (the stream reader agrees)
  if (bytes.length === 0) return [];
  if (bytes.subarray(0, NUL_SCAN).includes(0)) throw new InputError(input, 'binary data (NUL bytes), not a patch, mail or C file');

  const head = bytes.subarray(0, HEADER_SCAN).toString('latin1');
  if (startsWithMboxSeparator(head)) return readMails(input, splitMbox(bytes), options);
  if (looksLikeMailHeaders(head)) return readMails(input, [{ bytes, firstLine: 1 }], options);

  // Invalid UTF-8 is an error, but a stray Latin-1 byte in a comment must not cost the check of
  // the code: the input is still read, with U+FFFD for the bad bytes, and the error is reported.
  const text = bytes.toString('utf8').replace(/\r\n/g, '\n');
  const encoding = isUtf8(bytes) ? [] : ['not valid UTF-8 (invalid bytes read as U+FFFD; a mail declares its charset, a diff or C file must be UTF-8)'];
  if (/^diff --git |^--- \S.*\n\+\+\+ \S/m.test(text)) {
    const { files, problems, notices } = readUnifiedDiff(text, (i) => i + 1);
    return [{ ...plainPatch('diff', input, files, [...encoding, ...problems]), notices }];
  }
  if (/\.[ch]$/.test(input) || looksLikeC(text)) {
    return [plainPatch('c-file', input, [wholeFileAdded(input, text)], encoding)];
  }
  throw new InputError(input, 'not a patch, mail, mbox or C file');
}

async function readMails(input: string, raws: { bytes: Buffer; firstLine: number }[], options: ReadOptions): Promise<Patch[]> {
  const patches: Patch[] = [];
  for (const [mailIndex, raw] of raws.entries()) patches.push(...(await readMail(input, raw, mailIndex, options)));
  return patches;
}

/** One mail of an input (`mailIndex` 0-based in its mbox, `firstLine` its first line in the input). */
export async function readMail(input: string, raw: { bytes: Buffer; firstLine: number }, mailIndex: number, options: ReadOptions = {}): Promise<Patch[]> {
  const plain = options.cannotReport?.(raw.bytes.toString('latin1')) ? plainMailBody(raw.bytes) : undefined;
  const mail = plain ? { ...plainMailHeaders(raw.bytes), bodies: [plain] } : await (await import('./mail.js')).decodeMail(raw.bytes);
  const files: FileDiff[] = [];
  const problems: string[] = [];
  const notices: string[] = [];
  for (const body of mail.bodies) {
    const read = readUnifiedDiff(body.text, (i) => raw.firstLine - 1 + body.rawLineOf(i));
    files.push(...read.files);
    problems.push(...read.problems);
    notices.push(...read.notices);
  }
  const { bodies, ...headers } = mail;
  // the commit message and trailers: where a mail says what it is based on (era, mail-era.ts)
  const description = bodies.map((b) => mailProse(b.text)).join('\n');
  return [{ kind: 'mail', input, mailIndex, firstLine: raw.firstLine, files, problems, notices, description, ...headers }];
}

function plainPatch(kind: 'diff' | 'c-file', input: string, files: FileDiff[], problems: string[]): Patch {
  return { kind, input, mailIndex: 0, subject: '', firstLine: 1, files, problems };
}

function wholeFileAdded(input: string, text: string): FileDiff {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const path = input === '-' ? 'stdin.c' : input.replace(/^\.\//, '');
  return {
    oldPath: '/dev/null',
    newPath: path,
    status: 'added',
    hunks: [{
      oldStart: 0, oldLines: 0, newStart: 1, newLines: lines.length, context: '', header: '', headerLine: 1,
      lines: lines.map((t, i) => ({ kind: '+', text: t, patchLine: i + 1, newLine: i + 1 })),
    }],
  };
}

/** A header block: `Name: value` lines and their folded continuations, up to the first blank line. */
function looksLikeMailHeaders(head: string): boolean {
  const end = head.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? head : head.slice(0, end)).split(/\r?\n/);
  if (end < 0) lines.pop(); // cut at HEADER_SCAN, or a file without a body: the last line may be partial
  if (!/^[A-Za-z][\w-]*:/.test(lines[0] ?? '')) return false;
  if (!lines.every((l) => /^[!-9;-~]+:|^[ \t]/.test(l))) return false;
  return lines.some((l) => /^(Subject|From|Date|Message-Id):/i.test(l));
}

function looksLikeC(text: string): boolean {
  return /^#\s*(include|define|if)/m.test(text) || /^[A-Za-z_][\w \t*]*\([^;]*\)\s*\{?\s*$/m.test(text);
}
