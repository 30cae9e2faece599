import type { execFileSync as ExecFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVersion, type Version } from '../analysis/kernel-era.js';

/** Where pre-images come from: a checked-out tree, or git at a revision. */
export interface SourceTree {
  /** What the tree is, for notes ("tree /usr/src/linux", "git v6.12"). */
  readonly label: string;
  /** The file's text, or undefined when the tree has no such file. */
  read(path: string): string | undefined;
  /** The kernel version the top-level Makefile names. */
  kernelVersion(): Version | undefined;
  /** A git blob by (abbreviated) id, when the tree is a git repository that holds it. */
  blob?(id: string): string | undefined;
  /** The release a commit is based on (`git describe`), when the tree is a git repository that has it. */
  baseVersion?(commit: string): { version: Version; name: string } | undefined;
}

/** `git cat-file blob ID` in `repo`, or undefined (not a repository, no such blob). */
function catBlob(repo: string, id: string): string | undefined {
  if (!/^[0-9a-f]{7,40}$/.test(id)) return undefined;
  try {
    return git(repo, ['cat-file', 'blob', id]);
  } catch {
    return undefined;
  }
}

export class DirectoryTree implements SourceTree {
  readonly label: string;

  constructor(private readonly root: string) {
    this.label = `tree ${root}`;
  }

  read(path: string): string | undefined {
    const file = join(this.root, path);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  kernelVersion(): Version | undefined {
    return makefileVersion(this.read('Makefile'));
  }

  blob(id: string): string | undefined {
    return catBlob(this.root, id);
  }

  baseVersion(commit: string): { version: Version; name: string } | undefined {
    return existsSync(join(this.root, '.git')) ? describeBase(this.root, commit) : undefined;
  }
}

/** Git at a revision (`HEAD`, `v6.12`, or `:` for the index), without running repository-defined commands. */
export class GitTree implements SourceTree {
  readonly label: string;

  constructor(private readonly repo: string, private readonly rev: string) {
    this.label = rev === '' ? 'git index' : `git ${rev}`;
  }

  read(path: string): string | undefined {
    try {
      return git(this.repo, ['show', `${this.rev}:${path}`]);
    } catch {
      return undefined;
    }
  }

  kernelVersion(): Version | undefined {
    return makefileVersion(this.read('Makefile'));
  }

  blob(id: string): string | undefined {
    return catBlob(this.repo, id);
  }

  baseVersion(commit: string): { version: Version; name: string } | undefined {
    return describeBase(this.repo, commit);
  }
}

const described = new Map<string, { version: Version; name: string } | undefined>();

/** The newest release tag (v6.8, v6.9-rc3) a commit contains, read with `git describe`; undefined when the repository lacks the commit. */
export function describeBase(repo: string, commit: string): { version: Version; name: string } | undefined {
  if (!/^[0-9a-f]{7,40}$/i.test(commit)) return undefined;
  const key = `${repo}\0${commit}`;
  if (described.has(key)) return described.get(key);
  let found: { version: Version; name: string } | undefined;
  try {
    const name = git(repo, ['describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*', `${commit}^{commit}`]).trim();
    const version = parseVersion(name);
    if (version !== undefined) found = { version, name };
  } catch {
    found = undefined;
  }
  described.set(key, found);
  return found;
}

/** node:child_process, loaded on the first git call (issue 11: a plain patch's run starts no process and does not load it). */
let execFileSync: typeof ExecFileSync | undefined;

export function git(repo: string, args: string[]): string {
  execFileSync ??= (createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process')).execFileSync;
  return execFileSync('git', ['-c', 'core.fsmonitor=false', '--no-pager', ...args], {
    cwd: repo, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A kernel checkout: a top-level Makefile that names VERSION and PATCHLEVEL. */
export function isKernelTree(dir: string): boolean {
  const makefile = join(dir, 'Makefile');
  return existsSync(makefile) && makefileVersion(readFileSync(makefile, 'utf8')) !== undefined;
}

export function makefileVersion(makefile: string | undefined): Version | undefined {
  if (!makefile) return undefined;
  const version = /^VERSION\s*=\s*(\d+)/m.exec(makefile)?.[1];
  const patchlevel = /^PATCHLEVEL\s*=\s*(\d+)/m.exec(makefile)?.[1];
  return version && patchlevel ? parseVersion(`${version}.${patchlevel}`) : undefined;
}
