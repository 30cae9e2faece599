import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.js';
import { CLI, PROJECT_ROOT } from '../helpers/paths.js';
import { INTRO } from './run-cli.js';

test('Ctrl-C: the findings so far on stdout, a word on stderr, exit 130 (never 0, even with nothing above --fail-on)', async () => {
  // the first input is checked, then p2pcheck waits on a standard input that never ends
  const child = spawn(process.execPath, [CLI, '--terse', INTRO.r3, '-'], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  // Ctrl-C once p2pcheck has started (the input being checked is finished first)
  await new Promise((resolve) => setTimeout(resolve, 3000));
  child.kill('SIGINT');
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  assert.deepEqual([code, signal], [130, null], stderr);
  assert.match(stdout, /06-nvmet-rdma-ensure-dma-support\.reversed\.patch:125: WARNING: R3 /, 'the warning (below --fail-on error) is printed');
  assert.equal(stderr, 'p2pcheck: interrupted; the findings so far follow\n');
});

test('an interrupted run in-process: the input in hand is finished, the next is not read, exit 130', async () => {
  const controller = new AbortController();
  controller.abort();
  let stdout = '';
  const code = await runCli(['--format', 'json', INTRO.r3, INTRO.r2], {
    stdout: (t) => { stdout += t; }, stderr: () => {}, stdin: async () => Buffer.alloc(0), stdinIsTTY: true, signal: controller.signal,
  });
  assert.equal(code, 130);
  assert.deepEqual(JSON.parse(stdout).findings.map((f: { rule: string; input: string }) => [f.rule, f.input]), [['R3', INTRO.r3]]);
});
