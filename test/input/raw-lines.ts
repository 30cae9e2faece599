import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiffLine, Patch } from '../../src/input/patch-model.js';
import { CORPUS } from '../helpers/paths.js';

/**
 * Independent readings of the raw corpus bytes, to check what the readers report against. They
 * stay deliberately naive: they only need to be right on the files the tests feed them.
 */

export const SERIES = join(CORPUS, 'series');
export const WILD = join(CORPUS, 'wild');

/** The input's lines as an editor numbers them (line n is `lines[n - 1]`), CR of CRLF dropped. */
export function rawLines(bytes: Buffer): string[] {
  return bytes.toString('utf8').split('\n').map((l) => l.replace(/\r$/, ''));
}

export function* diffLines(patches: readonly Patch[]): Generator<DiffLine & { path: string }> {
  for (const p of patches) for (const f of p.files) for (const h of f.hunks) for (const l of h.lines) yield { ...l, path: f.newPath };
}

/** What the raw line of a diff line must read: its prefix and text (mailers strip a lone space). */
export function sameAsRaw(line: DiffLine, raw: string | undefined): boolean {
  return raw === line.kind + line.text || (line.kind === ' ' && line.text === '' && raw === '');
}

/** The logical line that starts at raw line `index` (0-based) of a quoted-printable body. */
export function quotedPrintableAt(raw: readonly string[], index: number): string {
  let joined = '';
  for (let i = index; i < raw.length; i++) {
    const part = raw[i]!;
    if (!part.endsWith('=')) { joined += part; break; }
    joined += part.slice(0, -1);
  }
  const bytes = Buffer.from(joined.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  return bytes.toString('utf8');
}

/** The decoded bytes of the base64 lines from raw line `index` (0-based) to the end of the block. */
export function base64From(raw: readonly string[], index: number): { bytes: Buffer; firstLineBytes: number } {
  const chunks: Buffer[] = [];
  for (let i = index; i < raw.length && /^[A-Za-z0-9+/=]+$/.test(raw[i]!); i++) chunks.push(Buffer.from(raw[i]!, 'base64'));
  return { bytes: Buffer.concat(chunks), firstLineBytes: chunks[0]?.length ?? 0 };
}

/** Mails of an mboxrd file split by hand: the bytes after each separator, `>From ` unquoted. */
export function mailsOfMbox(bytes: Buffer): { bytes: Buffer; firstLine: number }[] {
  const lines = bytes.toString('latin1').split('\n');
  const mails: { lines: string[]; firstLine: number }[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('From mboxrd@z ')) mails.push({ lines: [], firstLine: i + 2 });
    else mails.at(-1)?.lines.push(line.replace(/^>(>*From )/, '$1'));
  });
  return mails.map((m) => ({ bytes: Buffer.from(m.lines.join('\n'), 'latin1'), firstLine: m.firstLine }));
}

export function readCorpus(...parts: string[]): Buffer {
  return readFileSync(join(CORPUS, ...parts));
}

/** The series index: file name → mails in order with subject and encoding. */
export function seriesIndex(): Map<string, { subject: string; encoding: string }[]> {
  const index = new Map<string, { subject: string; encoding: string }[]>();
  const [header, ...rows] = readFileSync(join(SERIES, 'series.tsv'), 'utf8').trim().split('\n');
  const columns = header!.split('\t');
  for (const row of rows) {
    const cells = row.split('\t');
    const field = (name: string) => cells[columns.indexOf(name)]!;
    const list = index.get(field('series')) ?? [];
    list[Number(field('position'))] = { subject: field('subject'), encoding: field('encoding') };
    index.set(field('series'), list);
  }
  return index;
}
