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
  // p2pcheck.js (a loader), the start-up bundle and its code cache are CommonJS (dist/cli/package.json
  // says so); the chunks it loads on demand and the workers are ESM in dist/cli/lib (whose
  // package.json says so): both package.json files must go too
  const built = readdirSync(projectPath('dist', 'cli'), { recursive: true, encoding: 'utf8' })
    .filter((n) => n.endsWith('.js') || n.endsWith('.cache') || n.endsWith('package.json')).map((n) => `dist/cli/${n.replaceAll('\\', '/')}`);
  assert.ok(built.includes('dist/cli/p2pcheck.js') && built.includes('dist/cli/package.json') && built.includes('dist/cli/lib/package.json') &&
    built.includes('dist/cli/lib/scan-worker.js') && built.some((f) => f.endsWith('.cache')) && built.length > 5, built.join(' '));
  assert.deepEqual(built.filter((f) => !packed.has(f)), [], 'every file of the bundle is in the package');
});
