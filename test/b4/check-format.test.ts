import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLEAN, cli, INTRO } from '../cli/run-cli.js';
import { CORPUS, projectPath } from '../helpers/paths.js';

const EXAMPLE = projectPath('test', 'examples', 'p2p-example.patch');

test('--format b4: one line per finding at the target file line, no "p2pcheck:" prefix (b4 adds it), nothing for a clean patch', async () => {
  const run = await cli(['--format', 'b4', '-'], readFileSync(EXAMPLE));
  assert.equal(run.stderr, '');
  assert.deepEqual(run.stdout.split('\n').filter(Boolean).map((l) => l.split(': ').slice(0, 3).join(': ')), [
    'drivers/misc/p2pdemo/p2pdemo.c:17: WARNING: R3 p2p-custom-dma-ops',
    'drivers/misc/p2pdemo/p2pdemo.c:25: ERROR: R2 p2p-single-map-api-on-p2p',
    'drivers/misc/p2pdemo/p2pdemo.c:38: WARNING: R1 p2p-sgl-first-entry-homogeneity',
  ]);
  assert.deepEqual(await cli(['--format', 'b4', '-'], readFileSync(CLEAN)), { code: 0, stdout: '', stderr: '' });
});

test('--format b4 and --terse in a tree the patch does not apply to: no note anywhere (b4 fails a patch on any stderr line)', async () => {
  const series = join(CORPUS, 'series', '2025-11-20-dmabuf-vfio-v9.mbox');
  const tree = projectPath('test', 'examples'); // not the tree of that series: every file is missing
  const text = await cli(['--tree', tree, series]);
  assert.match(text.stderr, /^p2pcheck: note: /m, 'a person running the text format is told');
  for (const format of [['--format', 'b4'], ['--terse']]) {
    const run = await cli([...format, '--tree', tree, '-'], readFileSync(series));
    assert.equal(run.stderr, '', format.join(' '));
    assert.doesNotMatch(run.stdout, /note|p2pcheck:/);
  }
});

test('--format b4: an unreadable input is the one thing on standard error, without a prefix of its own', async () => {
  const run = await cli(['--format', 'b4', '-'], 'Meeting notes\n');
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, '-: not a patch, mail, mbox or C file\n');
});

test('--format b4-review: pass for a clean patch, [] for a message without a diff outside a review branch', async () => {
  const clean = JSON.parse((await cli(['--format', 'b4-review', '-'], readFileSync(CLEAN))).stdout);
  assert.deepEqual(clean, [{ tool: 'p2pcheck', status: 'pass', summary: 'no P2PDMA/DMA-API findings' }]);
  const warn = JSON.parse((await cli(['--format', 'b4-review', '-'], readFileSync(INTRO.r3))).stdout);
  assert.deepEqual([warn[0].status, warn[0].summary], ['warn', '1 warning (R3)']);
  const cover = 'From: Dev <dev@example.org>\nSubject: [PATCH 0/2] cover\nMessage-Id: <c@example.org>\n\nNo diff here.\n';
  assert.deepEqual(JSON.parse((await cli(['--format', 'b4-review', '-'], cover)).stdout), []);
});
