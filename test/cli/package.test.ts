import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { PROJECT_ROOT, projectPath } from '../helpers/paths.js';

/** The `bin` is an esbuild bundle that loads chunks beside it: the npm package must hold them all. */
test('npm pack holds the CLI bundle, its chunks and its worker', { timeout: 120_000 }, () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const packed = new Set((JSON.parse(run.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
  const built = readdirSync(projectPath('dist', 'cli')).filter((n) => n.endsWith('.js')).map((n) => `dist/cli/${n}`);
  assert.ok(built.includes('dist/cli/p2pcheck.js') && built.includes('dist/cli/scan-worker.js') && built.length > 5, built.join(' '));
  assert.deepEqual(built.filter((f) => !packed.has(f)), [], 'every file of the bundle is in the package');
});
