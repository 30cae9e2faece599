import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/run.js';
import { LABELLED, projectPath } from '../helpers/paths.js';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, { stdout: (t) => { out += t; }, stderr: () => {}, stdin: async () => Buffer.alloc(0), stdinIsTTY: true });
  return { code, out };
}

const R3_INTRO = join(LABELLED, '06-nvmet-rdma-ensure-dma-support.reversed.patch');
const R3_REPAIR = join(LABELLED, '06-nvmet-rdma-ensure-dma-support.patch');

test('GitLab Code Quality: one issue per finding with fingerprint, severity and location', async () => {
  const { out } = await cli(['--format', 'gitlab', projectPath('test', 'examples', 'p2p-example.patch')]);
  const issues = JSON.parse(out) as { check_name: string; severity: string; fingerprint: string; location: { path: string; lines: { begin: number } } }[];
  assert.deepEqual(issues.map((i) => [i.check_name, i.severity, i.location.path, i.location.lines.begin]), [
    ['R3', 'major', 'drivers/misc/p2pdemo/p2pdemo.c', 17],
    ['R2', 'critical', 'drivers/misc/p2pdemo/p2pdemo.c', 25],
    ['R1', 'major', 'drivers/misc/p2pdemo/p2pdemo.c', 38],
  ]);
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, 3);
});

test('a warnings-only exit code for CI systems that want one (netdev: 250)', async () => {
  assert.equal((await cli(['--format', 'json', R3_INTRO])).code, 0);
  assert.equal((await cli(['--format', 'json', '--warning-exit-code', '250', R3_INTRO])).code, 250);
  assert.equal((await cli(['--format', 'json', '--warning-exit-code', '250', '--fail-on', 'warning', R3_INTRO])).code, 1);
  assert.equal((await cli(['--format', 'json', '--warning-exit-code', '250', projectPath('test', 'examples', 'p2p-example.patch')])).code, 1);
  assert.equal((await cli(['--warning-exit-code', '999', R3_INTRO])).code, 2);
});

test('repairs: JSON "repairs", text REPAIR lines (not in --terse), SARIF notes', async () => {
  const json = JSON.parse((await cli(['--format', 'json', R3_REPAIR])).out) as { findings: unknown[]; repairs: { rule: string; message: string; line: number }[] };
  assert.deepEqual(json.findings, []);
  assert.deepEqual(json.repairs.map((r) => [r.rule, r.line]), [['R3', 417]]);
  assert.match(json.repairs[0]!.message, /^repairs R3 in nvmet_rdma_alloc_rsp/);
  assert.match((await cli([R3_REPAIR])).out, /^drivers\/nvme\/target\/rdma\.c:417: REPAIR: R3 p2p-custom-dma-ops: repairs R3 in nvmet_rdma_alloc_rsp/m);
  assert.equal((await cli(['--terse', R3_REPAIR])).out, '');
  const sarif = JSON.parse((await cli(['--format', 'sarif', R3_REPAIR])).out);
  assert.deepEqual(sarif.runs[0].results.map((r: { level: string; properties: { repair?: boolean } }) => [r.level, r.properties.repair]), [['note', true]]);
});

test('GitLab fingerprints are unique per finding and input: the same change in two inputs is two issues', async () => {
  const example = projectPath('test', 'examples', 'p2p-example.patch');
  let out = '';
  const code = await runCli(['--format', 'gitlab', example, '-'], {
    stdout: (t) => { out += t; }, stderr: () => {}, stdin: async () => readFileSync(example), stdinIsTTY: false,
  });
  assert.equal(code, 1);
  const issues = JSON.parse(out) as { fingerprint: string; location: { path: string; lines: { begin: number } } }[];
  assert.equal(issues.length, 6);
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, 6);
  assert.deepEqual(issues.slice(0, 3).map((i) => i.location), issues.slice(3).map((i) => i.location), 'the same three findings twice');
  const again = JSON.parse((await cli(['--format', 'gitlab', example])).out) as { fingerprint: string }[];
  assert.deepEqual(again.map((i) => i.fingerprint), issues.slice(0, 3).map((i) => i.fingerprint), 'stable from run to run');
});
