import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What a directory is searched for: patches, mails, mboxes and C files. */
const INPUT_FILE = /\.(patch|diff|mbox|eml|mail|c|h)$/;

export interface LoadedInput {
  name: string;
  bytes?: Buffer;
  /** Why the input could not be loaded (one line). */
  error?: string;
}

/** Expands directories (recursively, sorted) and loads every input; `-` is standard input. */
export async function* loadInputs(names: readonly string[], stdin: () => Promise<Buffer>): AsyncGenerator<LoadedInput> {
  for (const name of names) {
    if (name === '-') {
      yield { name, bytes: await stdin() };
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
      for (const file of await listDirectory(name)) yield await loadFile(file);
    } else {
      yield await loadFile(name);
    }
  }
}

async function loadFile(name: string): Promise<LoadedInput> {
  try {
    return { name, bytes: await readFile(name) };
  } catch (e) {
    return { name, error: `${name}: ${reason(e)}` };
  }
}

async function listDirectory(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...await listDirectory(path));
    else if (e.isFile() && INPUT_FILE.test(e.name)) out.push(path);
  }
  return out;
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
