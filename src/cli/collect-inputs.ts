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
/** `cFilesAside`: C files found in directories are left to the parallel scanner (see cFilesUnder). */
export async function* loadInputs(names: readonly string[], stdin: () => Promise<Buffer>, cFilesAside = false): AsyncGenerator<LoadedInput> {
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
      let found = 0;
      if (cFilesAside && (await cFilesUnder([name])).length > 0) found++;
      for await (const loaded of expandDirectory(name, cFilesAside)) {
        found++;
        yield loaded;
      }
      if (found === 0) yield { name, error: `${name}: no patch, mail, mbox or C file in this directory` };
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
    else if ((e.isFile() || e.isSymbolicLink()) && INPUT_FILE.test(e.name) && !(cFilesAside && C_FILE.test(e.name))) yield await loadFile(path);
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
