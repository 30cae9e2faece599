import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensurePackage, PACKAGE } from './kernel-tree.js';

/**
 * The peer the benchmark compares with: checkpatch.pl from a kernel tree. Debian's
 * linux-source-6.12 package ships the tree as a tarball; only the files checkpatch reads at
 * start are taken out of it, into a cache folder.
 */

const TARBALL = `/usr/src/${PACKAGE}.tar.xz`;
const NEEDED = ['scripts/checkpatch.pl', 'scripts/spelling.txt', 'scripts/const_structs.checkpatch'];

export type Located = { script: string; source: string } | { missing: string };

/** Finds checkpatch.pl, installing and unpacking Debian's kernel source when nothing else has it. */
export function locateCheckpatch(cacheDir: string): Located {
  const given = process.env['P2PCHECK_CHECKPATCH'];
  if (given) return existsSync(given) ? { script: given, source: 'P2PCHECK_CHECKPATCH' } : { missing: `P2PCHECK_CHECKPATCH=${given} does not exist` };
  const tree = process.env['KERNEL_TREE'];
  if (tree) {
    const script = join(tree, 'scripts', 'checkpatch.pl');
    return existsSync(script) ? { script, source: 'KERNEL_TREE' } : { missing: `${script} does not exist` };
  }
  for (const root of [`/usr/src/${PACKAGE}`, join(cacheDir, PACKAGE)]) {
    const script = join(root, 'scripts', 'checkpatch.pl');
    if (existsSync(script)) return { script, source: root };
  }
  const installed = ensurePackage(PACKAGE, TARBALL);
  if (installed) return { missing: installed };
  return unpack(cacheDir);
}

function unpack(cacheDir: string): Located {
  mkdirSync(cacheDir, { recursive: true });
  const members = NEEDED.map((f) => `${PACKAGE}/${f}`);
  const tar = spawnSync('tar', ['-xJf', TARBALL, '-C', cacheDir, '--occurrence', ...members], { stdio: ['ignore', 'ignore', 'pipe'] });
  const script = join(cacheDir, PACKAGE, NEEDED[0]!);
  if (tar.status !== 0 || !existsSync(script)) return { missing: `could not unpack checkpatch from ${TARBALL}: ${tar.stderr.toString().trim()}` };
  return { script, source: `${TARBALL}, unpacked into ${join(cacheDir, PACKAGE)}` };
}

export interface CheckpatchRun {
  ms: number;
  /** Lines of --terse output: one per warning, error or check. */
  reports: number;
  status: number | null;
  error?: string;
}

/**
 * Runs one checkpatch process over all files. The working folder is one outside any git
 * repository, so that checkpatch does not call git to look up the commits mails mention.
 */
export function runCheckpatch(script: string, files: readonly string[], cwd: string): CheckpatchRun {
  const args = [script, '--no-tree', '-q', '--terse', '--no-summary', '--show-types', ...files];
  const start = performance.now();
  const run = spawnSync('perl', args, { cwd, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - start;
  const reports = run.stdout ? run.stdout.toString().split('\n').filter((l) => l.includes(': ')).length : 0;
  return { ms, reports, status: run.status, error: run.error?.message };
}
