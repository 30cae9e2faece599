import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A kernel tree for the benchmarks: Debian's linux-source-6.12 package ships it as a tarball
 * (installed with apt-get when missing, as checkpatch.ts does); folders of it are unpacked into a
 * cache folder once.
 */

export const PACKAGE = 'linux-source-6.12';
const TARBALL = `/usr/src/${PACKAGE}.tar.xz`;

/** `folder` of the kernel tree (e.g. "drivers"), unpacked under `cacheDir` when missing, or why not. */
export function kernelFolder(cacheDir: string, folder: string): { root: string } | { missing: string } {
  const root = join(cacheDir, PACKAGE, folder);
  if (existsSync(join(root, 'Makefile'))) return { root };
  const missing = ensurePackage(PACKAGE, TARBALL);
  if (missing) return { missing };
  console.log(`tree: unpacking ${folder}/ of ${TARBALL} into ${join(cacheDir, PACKAGE)} (once)...`);
  const tar = spawnSync('tar', ['-xJf', TARBALL, '-C', cacheDir, '--wildcards', `${PACKAGE}/${folder}/*`], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (tar.status !== 0 || !existsSync(join(root, 'Makefile'))) return { missing: `could not unpack ${folder}/ from ${TARBALL}: ${tar.stderr.toString().trim()}` };
  return { root };
}

/** Installs a Debian package until `file` exists; returns why it could not, or undefined. */
export function ensurePackage(pkg: string, file: string): string | undefined {
  if (existsSync(file)) return undefined;
  if (process.getuid?.() !== 0) return `${file} missing and not root to apt-get install ${pkg}`;
  console.log(`installing ${pkg} with apt-get (once)...`);
  if (!aptGet('install', '-y', pkg)) {
    aptGet('update');
    aptGet('install', '-y', pkg);
  }
  return existsSync(file) ? undefined : `apt-get install ${pkg} did not provide ${file}`;
}

function aptGet(...args: string[]): boolean {
  // tests run in parallel processes and may install at once: wait for dpkg's lock instead of failing
  const run = spawnSync('apt-get', ['-q', '-o', 'DPkg::Lock::Timeout=600', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 15 * 60_000,
  });
  return run.status === 0;
}

