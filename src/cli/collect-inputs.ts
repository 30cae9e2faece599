import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../input/read-input.js';

/**
 * What a directory is searched for: patches, mails, mboxes (b4 writes `.mbx`), C files, and
 * gzip-compressed patches, mails and mboxes (lore's `t.mbox.gz`).
 */
const INPUT_FILE = /\.(patch|diff|mbox|mbx|eml|mail|c|h)$|\.(patch|diff|mbox|mbx|eml|mail)\.gz$/;
/** Files of a directory that look like inputs but are not read: each is named on standard error. */
const SKIPPED_FILE: [RegExp, string][] = [
  [/\.gz$/, 'a gzip file that does not hold a .patch, .diff, .mbox, .mbx, .eml or .mail'],
  [/\.(patch|diff|mbox|mbx|eml|mail)\.(xz|bz2|zst|lz4|lzma|Z)$/, 'compressed other than with gzip (gunzip-compatible only)'],
];

export interface LoadedInput {
  name: string;
  /** The input's bytes, when they are at hand already. */
  bytes?: Buffer;
  /** Opens the input as a stream of chunks (files and standard input: any size, bounded memory). */
  open?: () => AsyncIterable<Buffer>;
  /** Why the input could not be loaded (one line). */
  error?: string;
  /** A file of a directory that is not read, and why (one line): said, not an error. */
  skipped?: string;
}

/** Expands directories (recursively, sorted) and loads every input; `-` is standard input. */
/** `cFilesAside`: C files found in directories are left to the parallel scanner (see cFilesUnder). */
export async function* loadInputs(names: readonly string[], stdin: () => AsyncIterable<Buffer>, cFilesAside = false): AsyncGenerator<LoadedInput> {
  for (const name of names) {
    if (name === '-') {
      yield { name, open: stdin };
      continue;
    }
    let info;
    try {
      info = await stat(name);
    } catch (e) {
      yield { name, error: `${name}: ${reason(e)}` };
      continue;
    }
    if (info.isDirectory()) {
      let found = 0;
      if (cFilesAside && (await cFilesUnder([name])).length > 0) found++;
      for await (const loaded of expandDirectory(name, cFilesAside)) {
        if (!loaded.skipped) found++;
        yield loaded;
      }
      if (found === 0) yield { name, error: `${name}: no patch, mail, mbox or C file in this directory` };
    } else {
      yield loadFile(name);
    }
  }
}

function loadFile(name: string): LoadedInput {
  return { name, open: () => readFileStream(name) };
}

/** A file's chunks; a read error is an InputError in one line naming the file. */
async function* readFileStream(name: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(name, { highWaterMark: 1024 * 1024 })) yield chunk as Buffer;
  } catch (e) {
    throw new InputError(name, reason(e));
  }
}

/** Input files under `dir`, sorted, loaded one at a time; an unreadable directory is an error of its own. */
const C_FILE = /\.[ch]$/;

/** Every .c/.h file below the directories, in name order. */
export async function cFilesUnder(dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // reported by loadInputs
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else if ((e.isFile() || e.isSymbolicLink()) && C_FILE.test(e.name)) out.push(path);
    }
  };
  for (const d of dirs) await walk(d);
  return out;
}

async function* expandDirectory(dir: string, cFilesAside = false): AsyncGenerator<LoadedInput> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    yield { name: dir, error: `${dir}: ${reason(e)}` };
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* expandDirectory(path, cFilesAside);
    else if (!e.isFile() && !e.isSymbolicLink()) {
      if (INPUT_FILE.test(e.name)) yield { name: path, skipped: 'not a regular file' };
    } else if (INPUT_FILE.test(e.name)) {
      if (!(cFilesAside && C_FILE.test(e.name))) yield loadFile(path);
    } else {
      const skip = SKIPPED_FILE.find(([pattern]) => pattern.test(e.name));
      if (skip) yield { name: path, skipped: skip[1] };
    }
  }
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    default: return err.message?.split('\n')[0] ?? String(e);
  }
}

export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Standard input as a stream of chunks. */
export async function* stdinStream(): AsyncGenerator<Buffer> {
  for await (const chunk of process.stdin) yield chunk as Buffer;
}
