import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, test } from 'node:test';
import { CLI, PROJECT_ROOT } from '../helpers/paths.js';
import { assertOneLineErrors, CLEAN, INTRO, R2_ERROR_C, spawnCli } from './run-cli.js';

/** The built CLI as a child process: what b4, CI and shells see. */
describe('p2pcheck as a process', () => {
  test('a clean patch: exit 0 and no output at all', () => {
    assert.deepEqual(spawnCli([CLEAN]), { code: 0, stdout: '', stderr: '' });
  });

  test('warnings exit 0 by default and 1 from --fail-on warning; --fail-on never exits 0', () => {
    const byDefault = spawnCli([INTRO.r1]);
    assert.equal(byDefault.code, 0);
    assert.match(byDefault.stdout, /^drivers\/nvme\/host\/pci\.c:583: WARNING: R1 p2p-sgl-first-entry-homogeneity: /m);
    assert.equal(spawnCli(['--fail-on', 'warning', INTRO.r1]).code, 1);
    assert.equal(spawnCli(['--fail-on', 'never', INTRO.r1]).code, 0);
  });

  test('an error finding exits 1 by default (C file on standard input via "-")', () => {
    const run = spawnCli(['--terse', '-'], { input: R2_ERROR_C });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^-:7: ERROR: R2 p2p-single-map-api-on-p2p: .+\n$/);
    assert.equal(run.stderr, '');
  });

  test('b4 style: the patch piped in with no file argument, --terse --showfile', () => {
    const run = spawnCli(['--terse', '--showfile', '--fail-on', 'warning'], { input: readFileSync(INTRO.r3) });
    assert.equal(run.code, 1);
    assert.deepEqual(run.stdout.split('\n').filter(Boolean).map((l) => l.split(': ').slice(0, 3).join(': ')), [
      'drivers/nvme/target/rdma.c:417: WARNING: R3 p2p-custom-dma-ops',
    ]);
    assert.deepEqual(spawnCli(['--terse', '--showfile'], { input: readFileSync(CLEAN) }), { code: 0, stdout: '', stderr: '' });
  });

  test('a missing input next to a good one: exit 2, one error line, the good one still reported', () => {
    const run = spawnCli(['--terse', 'no/such/file.patch', relative(PROJECT_ROOT, INTRO.r2)]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout.split('\n').filter(Boolean).length, 2);
    assert.match(run.stdout, /02-rdma-rw-map-p2p-signature\.reversed\.patch:53: WARNING: R2 /);
    assertOneLineErrors(run.stderr, ['no/such/file.patch']);
  });

  test('usage errors exit 2 with one line, never a stack trace', () => {
    for (const argv of [['--bogus'], ['--rules', 'R42', CLEAN], ['--format', 'yaml', CLEAN]]) {
      const run = spawnCli(argv);
      assert.equal(run.code, 2, argv.join(' '));
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.split('\n').filter(Boolean).length, 1, run.stderr);
      assert.doesNotMatch(run.stderr, /^\s+at /m);
    }
  });

  test('--list-rules and --explain exit 0', () => {
    assert.equal(spawnCli(['--list-rules']).code, 0);
    const explain = spawnCli(['--explain', 'R2']);
    assert.equal(explain.code, 0);
    assert.match(explain.stdout, /^R2 p2p-single-map-api-on-p2p/);
  });

  test('a reader that leaves early (| head) ends the output quietly: no EPIPE stack trace, the exit code still counts', () => {
    const inputs = Array<string>(100).fill(JSON.stringify(INTRO.r1)).join(' ');
    const script = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --format json --fail-on warning ${inputs} | head -c 100 >/dev/null; exit \${PIPESTATUS[0]}`;
    const run = spawnSync('bash', ['-c', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.stderr, '');
    assert.equal(run.status, 1);
  });
});
