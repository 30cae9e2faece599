import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { NOISE } from '../helpers/paths.js';
import { assertOneLineErrors, CLEAN, cli, INTRO, labelled, parseJson, R2_ERROR_C, type JsonFinding } from './run-cli.js';

const TEXT_HEAD = /^(\S+):(\d+): (ERROR|WARNING|CHECK): (R\d+) ([a-z0-9-]+): (.+)$/;
const LEVEL = { error: 'ERROR', warning: 'WARNING', info: 'CHECK' } as const;
const RANK = { info: 1, warning: 2, error: 3 } as const;

const where = (f: JsonFinding) => `${f.rule} ${f.path}:${f.line}`;

async function findingsOf(...argv: string[]): Promise<JsonFinding[]> {
  const run = await cli(['--format', 'json', '--fail-on', 'never', ...argv]);
  assert.equal(run.code, 0, run.stderr);
  return parseJson(run.stdout).findings;
}

const tmp = mkdtempSync(join(tmpdir(), 'p2pcheck-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('findings on the labelled intro patches', () => {
  test('R1, R2 and R3 at the labelled lines', async () => {
    assert.deepEqual((await findingsOf(INTRO.r1)).map(where).sort(), ['R1 drivers/nvme/host/pci.c:583', 'R1 drivers/nvme/host/pci.c:870']);
    assert.deepEqual((await findingsOf(INTRO.r2)).map(where).sort(), ['R2 drivers/infiniband/core/rw.c:395', 'R2 drivers/infiniband/core/rw.c:401']);
    assert.deepEqual((await findingsOf(INTRO.r3)).map(where), ['R3 drivers/nvme/target/rdma.c:417']);
  });

  test('a clean patch prints nothing at all and exits 0, in every text mode', async () => {
    for (const extra of [[], ['--terse'], ['--terse', '--showfile'], ['--format', 'github'], ['--fail-on', 'info']]) {
      assert.deepEqual(await cli([...extra, CLEAN]), { code: 0, stdout: '', stderr: '' }, extra.join(' '));
    }
  });

  test('the noise folder as a directory input: 150 mails, no finding, one notice for the one mail a mailer wrapped', async () => {
    // nvme-12's hunk header was wrapped by the sender's mail client ("...(struct nvme_ctrl" / "*ctrl, unsigned nn)")
    const run = await cli([NOISE]);
    assert.deepEqual({ code: run.code, stdout: run.stdout }, { code: 0, stdout: '' });
    assert.deepEqual(run.stderr.split('\n').filter(Boolean).map((l) => /^p2pcheck: note: .*\/(nvme-12-[^:]*): patch seems to be corrupt \(line wrapped\?\) at line 113: /.exec(l)?.[1]),
      ['nvme-12-nvme-fix-u32-overflow-in-the-number-of-namespace-l.patch']);
    const json = parseJson((await cli(['--format', 'json', NOISE])).stdout) as unknown as { notes: { kind: string }[] };
    assert.deepEqual({ ...json, notes: json.notes.map((n) => n.kind) }, { version: 1, findings: [], repairs: [], errors: [], notes: ['corrupt'] });
  });
});

describe('output formats', () => {
  test('text: "path:line: LEVEL: Rn slug: message", then the fix, per finding', async () => {
    const run = await cli(['--fail-on', 'never', INTRO.r1, INTRO.r3]);
    const json = await findingsOf(INTRO.r1, INTRO.r3);
    const heads = run.stdout.split('\n').filter((l) => TEXT_HEAD.test(l));
    assert.equal(heads.length, json.length);
    json.forEach((f, i) => assert.equal(heads[i], `${f.path}:${f.line}: ${LEVEL[f.severity]}: ${f.rule} ${f.slug}: ${f.message}`));
    const blocks = run.stdout.trimEnd().split('\n\n');
    assert.equal(blocks.length, json.length);
    blocks.forEach((block, i) => {
      const lines = block.split('\n');
      assert.equal(lines[0], heads[i]);
      assert.equal(lines.at(-1), `  fix: ${json[i]!.fix}`);
      assert.ok(lines.slice(1).every((l) => l.startsWith('  ')), 'detail lines are indented');
    });
    assert.equal(run.stderr, '');
  });

  test('--terse: one line per finding at input:patchLine, and that line of the input is the added line', async () => {
    const run = await cli(['--terse', '--fail-on', 'never', INTRO.r2]);
    const json = await findingsOf(INTRO.r2);
    const lines = run.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, json.length);
    const raw = readFileSync(INTRO.r2, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const f = json[i]!;
      assert.equal(line, `${INTRO.r2}:${f.patchLine}: ${LEVEL[f.severity]}: ${f.rule} ${f.slug}: ${f.message}`);
      assert.match(raw[f.patchLine - 1]!, /^\+.*ib_dma_map_sg/);
    });
  });

  test('--terse --showfile: one line per finding at path:line', async () => {
    const run = await cli(['--terse', '--showfile', '--fail-on', 'never', INTRO.r1]);
    const lines = run.stdout.split('\n').filter(Boolean);
    assert.deepEqual(lines.map((l) => l.split(': ')[0]).sort(), ['drivers/nvme/host/pci.c:583', 'drivers/nvme/host/pci.c:870']);
    assert.ok(lines.every((l) => TEXT_HEAD.test(l)));
  });

  test('--format json: {version: 1, findings, errors} with every documented field', async () => {
    const run = await cli(['--format', 'json', INTRO.r3]);
    const doc = parseJson(run.stdout);
    assert.deepEqual(Object.keys(doc), ['version', 'findings', 'repairs', 'errors']);
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.errors, []);
    const [f] = doc.findings;
    assert.ok(f);
    const types: Record<string, string> = {
      rule: 'string', slug: 'string', severity: 'string', message: 'string', input: 'string', mail: 'number',
      subject: 'string', patchLine: 'number', path: 'string', line: 'number', column: 'number', fix: 'string', references: 'object',
    };
    for (const [field, type] of Object.entries(types)) assert.equal(typeof (f as unknown as Record<string, unknown>)[field], type, field);
    assert.equal(f.rule, 'R3');
    assert.equal(f.slug, 'p2p-custom-dma-ops');
    assert.equal(f.input, INTRO.r3);
    assert.equal(f.mail, 0);
    assert.equal(f.subject, '[PATCH 14/16] nvme-rdma: Ensure dma support when using p2pdma');
    assert.equal(f.path, 'drivers/nvme/target/rdma.c');
    assert.equal(f.line, 417);
    assert.ok(f.column >= 1);
    assert.equal(readFileSync(INTRO.r3, 'utf8').split('\n')[f.patchLine - 1], '+\tif (!ib_uses_virt_dma(ndev->device))');
    assert.ok(f.references.length > 0 && f.references.every((r) => r.startsWith('https://lore.kernel.org/r/')));
  });

  test('--format json on an mbox: mail is the index of the mail in the mbox', async () => {
    const doc = parseJson((await cli(['--format', 'json', '--fail-on', 'never', join(NOISE, '..', 'series', '2019-08-12-p2pdma-host-bridge-v3.mbox')])).stdout);
    assert.ok(doc.findings.length > 0);
    for (const f of doc.findings) assert.match(f.subject, new RegExp(`^\\[PATCH v3 ${String(f.mail).padStart(2, '0')}/14\\]`));
  });

  test('--format github: ::error / ::warning workflow commands with file and line', async () => {
    const file = join(tmp, 'map.c');
    writeFileSync(file, R2_ERROR_C);
    const run = await cli(['--format', 'github', file, INTRO.r3]);
    const lines = run.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, new RegExp(`^::error file=${file.replace(/[/.]/g, '\\$&')},line=7,col=\\d+,title=R2 p2p-single-map-api-on-p2p::.+ Fix: `));
    assert.match(lines[1]!, /^::warning file=drivers\/nvme\/target\/rdma\.c,line=417,col=\d+,title=R3 p2p-custom-dma-ops::/);
    assert.equal(run.code, 1);
  });

  test('--format sarif is a SARIF 2.1.0 log with one result per finding', async () => {
    const run = await cli(['--format', 'sarif', '--fail-on', 'never', INTRO.r1]);
    const log = JSON.parse(run.stdout) as { version: string; runs: { results: unknown[] }[] };
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs[0]!.results.length, 2);
  });
});

describe('exit codes and --fail-on', () => {
  test('exit 1 exactly when a finding is at or above --fail-on', async () => {
    const file = join(tmp, 'map-fail-on.c');
    writeFileSync(file, R2_ERROR_C);
    for (const input of [INTRO.r1, INTRO.r2, INTRO.r3, file, CLEAN]) {
      const severities = (await findingsOf(input)).map((f) => RANK[f.severity]);
      for (const level of ['info', 'warning', 'error'] as const) {
        const run = await cli(['--fail-on', level, input]);
        assert.equal(run.code, severities.some((s) => s >= RANK[level]) ? 1 : 0, `${input} --fail-on ${level}`);
      }
      assert.equal((await cli(['--fail-on', 'never', input])).code, 0);
      assert.equal((await cli([input])).code, severities.some((s) => s >= RANK.error) ? 1 : 0, `${input} default`);
    }
  });

  test('the levels are exercised: an error finding fails by default, a warning only from --fail-on warning', async () => {
    const file = join(tmp, 'map-default.c');
    writeFileSync(file, R2_ERROR_C);
    assert.equal((await findingsOf(file))[0]!.severity, 'error');
    assert.equal((await cli([file])).code, 1);
    assert.equal((await cli(['--fail-on', 'never', file])).code, 0);
    assert.deepEqual((await findingsOf(INTRO.r3)).map((f) => f.severity), ['warning']);
    assert.equal((await cli(['--fail-on', 'error', INTRO.r3])).code, 0);
    assert.equal((await cli(['--fail-on', 'warning', INTRO.r3])).code, 1);
    assert.equal((await cli(['--fail-on', 'info', INTRO.r3])).code, 1);
  });

  test('an unreadable input makes the exit 2 while the other inputs are still checked and printed', async () => {
    const missing = join(tmp, 'no-such.patch');
    const run = await cli(['--terse', '--fail-on', 'never', missing, INTRO.r3]);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /^.*06-nvmet-rdma-ensure-dma-support\.reversed\.patch:125: WARNING: R3 /);
    assertOneLineErrors(run.stderr, [missing]);
    assert.match(run.stderr, /no such file or directory/);
    const json = parseJson((await cli(['--format', 'json', INTRO.r3, missing])).stdout);
    assert.deepEqual(json.findings.map(where), ['R3 drivers/nvme/target/rdma.c:417']);
    assert.deepEqual(json.errors, [{ input: missing, message: `${missing}: no such file or directory` }]);
  });
});

describe('rule selection', () => {
  const all = [INTRO.r1, INTRO.r2, INTRO.r3];
  const headline = new Set(['R1', 'R2', 'R3']);
  const rules = async (...argv: string[]) => [...new Set((await findingsOf(...argv, ...all)).map((f) => f.rule))].filter((r) => headline.has(r)).sort();

  test('without selection the three headline rules fire on their three intro patches', async () => {
    assert.deepEqual(await rules(), ['R1', 'R2', 'R3']);
  });

  test('--rules, --types (its checkpatch alias), comma lists, slugs and lower case', async () => {
    assert.deepEqual(await rules('--rules', 'R1'), ['R1']);
    assert.deepEqual(await rules('--types', 'R2'), ['R2']);
    assert.deepEqual(await rules('--rules', 'R1,R3'), ['R1', 'R3']);
    assert.deepEqual(await rules('--rules', 'r3'), ['R3']);
    assert.deepEqual(await rules('--rules', 'p2p-custom-dma-ops'), ['R3']);
    assert.deepEqual(await rules('--rules', 'R1', '--rules', 'R2'), ['R1', 'R2']);
  });

  test('--ignore drops a rule and keeps the others', async () => {
    assert.deepEqual(await rules('--ignore', 'R1'), ['R2', 'R3']);
    assert.deepEqual(await rules('--ignore', 'R1,R2'), ['R3']);
  });

  test('an unknown rule is a usage error (exit 2), whichever option names it', async () => {
    for (const argv of [['--rules', 'R42'], ['--types', 'R1,bogus'], ['--ignore', 'R0'], ['--explain', 'R42']]) {
      const run = await cli([...argv, CLEAN]);
      assert.equal(run.code, 2, argv.join(' '));
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^p2pcheck: unknown rule .*(R42|bogus|R0).*\n$/);
    }
  });

  test('--list-rules lists every rule, in id order, with severity and slug', async () => {
    const run = await cli(['--list-rules']);
    assert.equal(run.code, 0);
    const lines = run.stdout.split('\n').filter(Boolean);
    assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), (await import('../../src/rules/index.js')).RULES.map((r) => r.meta.id));
    assert.deepEqual(lines.slice(0, 3).map((l) => l.split(/\s+/).slice(0, 3)), [
      ['R1', 'warning', 'p2p-sgl-first-entry-homogeneity'],
      ['R2', 'error', 'p2p-single-map-api-on-p2p'],
      ['R3', 'warning', 'p2p-custom-dma-ops'],
    ]);
  });

  test('--explain R2 (or its slug) prints the rule text', async () => {
    const run = await cli(['--explain', 'R2']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^R2 p2p-single-map-api-on-p2p: /);
    assert.match(run.stdout, /^Default severity: error$/m);
    assert.match(run.stdout, /^Fix: .*dma_map_sgtable/m);
    assert.match(run.stdout, /https:\/\/lore\.kernel\.org\/r\//);
    assert.equal((await cli(['--explain', 'p2p-single-map-api-on-p2p'])).stdout, run.stdout);
  });
});

describe('standard input', () => {
  const patch = readFileSync(INTRO.r3);

  test('"-" reads the patch from standard input; findings name the input "-"', async () => {
    const run = await cli(['--terse', '--fail-on', 'never', '-'], patch);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.split('\n').filter(Boolean).length, 1);
    assert.match(run.stdout, /^-:125: WARNING: R3 p2p-custom-dma-ops: /);
  });

  test('no arguments with a pipe on standard input reads it (b4 runs the checker so)', async () => {
    assert.deepEqual(await cli(['--terse', '--fail-on', 'never'], patch), await cli(['--terse', '--fail-on', 'never', '-'], patch));
    assert.deepEqual(await cli(['--terse', '--showfile'], readFileSync(CLEAN)), { code: 0, stdout: '', stderr: '' });
  });

  test('no arguments with a terminal on standard input is a usage error', async () => {
    const run = await cli([]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^p2pcheck: no input .*\n$/);
  });

  test('"-" next to files: each input is checked and named', async () => {
    const run = await cli(['--format', 'json', '--fail-on', 'never', INTRO.r1, '-'], patch);
    assert.deepEqual(parseJson(run.stdout).findings.map((f) => `${f.input} ${f.rule}`), [`${INTRO.r1} R1`, `${INTRO.r1} R1`, '- R3']);
  });
});

describe('directories', () => {
  test('a directory is searched recursively, in name order, for patch, mail, mbox and C files', async () => {
    const dir = join(tmp, 'tree');
    mkdirSync(join(dir, 'b'), { recursive: true });
    copyFileSync(INTRO.r3, join(dir, 'a.patch'));
    copyFileSync(INTRO.r1, join(dir, 'b', 'c.mbox'));
    writeFileSync(join(dir, 'b', 'map.c'), R2_ERROR_C);
    writeFileSync(join(dir, 'notes.txt'), 'not looked at\n');
    copyFileSync(INTRO.r2, join(dir, '.hidden.patch'));
    const doc = parseJson((await cli(['--format', 'json', '--fail-on', 'never', dir])).stdout);
    assert.deepEqual(doc.errors, []);
    assert.deepEqual([...new Set(doc.findings.map((f) => `${f.input} ${f.rule}`))], [
      `${join(dir, 'a.patch')} R3`, `${join(dir, 'b', 'c.mbox')} R1`, `${join(dir, 'b', 'map.c')} R2`,
    ]);
    assert.equal(doc.findings.find((f) => f.rule === 'R2')!.path, join(dir, 'b', 'map.c').replace(/^\.\//, ''));
  });
});

describe('usage errors', () => {
  for (const argv of [['--bogus'], ['--format', 'xml'], ['--fail-on', 'sometimes'], ['--kernel-version', 'six'], ['--max-bytes', '0'], ['--max-bytes', 'lots']]) {
    test(`${argv.join(' ')}: exit 2, one line on standard error, nothing on standard output`, async () => {
      const run = await cli([...argv, labelled('30-nvme-pci-fix-single-segment.patch')]);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.split('\n').filter(Boolean).length, 1, run.stderr);
      assert.match(run.stderr, /^p2pcheck: /);
    });
  }

  test('--help and --version print to standard output and exit 0', async () => {
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: p2pcheck/);
    assert.match(help.stdout, /--fail-on <level>/);
    const version = await cli(['--version']);
    assert.equal(version.code, 0);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
