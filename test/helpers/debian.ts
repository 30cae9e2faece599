import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Debian packages a test needs (CI is a fresh Debian machine, run as root): installed with apt-get
 * when `file` is missing, waiting for the dpkg lock when another test installs at the same time.
 * Returns why it could not, or undefined.
 */
export function ensureDebianPackages(packages: readonly string[], files: readonly string[]): string | undefined {
  if (files.every((f) => existsSync(f))) return undefined;
  if (process.getuid?.() !== 0) return `${files.filter((f) => !existsSync(f)).join(', ')} missing and not root to apt-get install ${packages.join(' ')}`;
  const aptGet = (...args: string[]) => spawnSync('apt-get', ['-q', '-o', 'DPkg::Lock::Timeout=600', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 15 * 60_000,
  }).status === 0;
  if (!aptGet('install', '-y', '--no-install-recommends', ...packages)) {
    aptGet('update');
    aptGet('install', '-y', '--no-install-recommends', ...packages);
  }
  const missing = files.filter((f) => !existsSync(f));
  return missing.length ? `apt-get install ${packages.join(' ')} did not provide ${missing.join(', ')}` : undefined;
}
