import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { addIgnore, applyConfig, ConfigError, findConfig, readConfig, rulesOff } from '../../src/config/project-config.js';
import { runCli } from '../../src/cli/run.js';
import { lintFile } from '../helpers/lint.js';
import { projectPath } from '../helpers/paths.js';

const EXAMPLE = projectPath('test', 'examples', 'p2p-example.patch');

test('the file is looked up from the folder upwards and no further than the repository root', () => {
  const repo = mkdtempSync(join(tmpdir(), 'p2pcheck-config-'));
  mkdirSync(join(repo, '.git'));
  mkdirSync(join(repo, 'drivers', 'nvme'), { recursive: true });
  writeFileSync(join(repo, '.p2pcheck.json'), '{ "rules": { "R1": "off" } }');
  const found = findConfig(join(repo, 'drivers', 'nvme'));
  assert.equal(found.path, join(repo, '.p2pcheck.json'));
  assert.deepEqual(rulesOff(found.config), ['R1']);
  writeFileSync(join(repo, 'bad.json'), '{ "rules": { "R1": "loud" } }');
  assert.throws(() => readConfig(join(repo, 'bad.json')), ConfigError);
});

test('severities, skipped paths and ignored fingerprints apply to findings', async () => {
  const findings = await lintFile(EXAMPLE);
  assert.deepEqual(findings.map((f) => f.rule), ['R3', 'R2', 'R1']);
  const r2 = findings.find((f) => f.rule === 'R2')!;
  const applied = applyConfig(findings, { rules: { R3: 'error', R1: 'off' }, ignore: [{ rule: 'R2', path: r2.path, fingerprint: r2.fingerprint }] });
  assert.deepEqual(applied.map((f) => [f.rule, f.severity]), [['R3', 'error']]);
  assert.deepEqual(applyConfig(findings, { skipPaths: ['drivers/misc/**'] }), []);
});

test('an ignore entry is written once, and the CLI honours it; --no-config brings the finding back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-ignore-'));
  const file = join(dir, '.p2pcheck.json');
  const r2 = (await lintFile(EXAMPLE)).find((f) => f.rule === 'R2')!;
  addIgnore(file, r2);
  addIgnore(file, r2);
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).ignore.length, 1);
  const run = async (args: string[]) => {
    let out = '';
    const code = await runCli(args, { stdout: (t) => { out += t; }, stderr: () => {}, stdin: async () => Buffer.alloc(0), stdinIsTTY: true });
    return { code, rules: (JSON.parse(out) as { findings: { rule: string }[] }).findings.map((f) => f.rule) };
  };
  assert.deepEqual(await run(['--format', 'json', '--config', file, EXAMPLE]), { code: 0, rules: ['R3', 'R1'] });
  assert.deepEqual(await run(['--format', 'json', '--no-config', EXAMPLE]), { code: 1, rules: ['R3', 'R2', 'R1'] });
});
