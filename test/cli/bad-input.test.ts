import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CORPUS, NOISE } from '../helpers/paths.js';
import { mailsOfMbox } from '../input/raw-lines.js';
import { assertOneLineErrors, cli, INTRO, parseJson, spawnCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'p2pcheck-bad-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

/** The input is refused: exit 2, nothing on standard output, one line naming it on standard error. */
async function assertRefused(path: string, reason: RegExp): Promise<void> {
  const run = await cli([path]);
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stdout, '');
  assertOneLineErrors(run.stderr, [path]);
  assert.match(run.stderr, reason);
}

describe('inputs that are no patch', () => {
  test('a binary file (an ELF header, NUL bytes)', async () => {
    await assertRefused(file('binary.patch', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00])), /binary data/);
  });

  test('a gzipped mail is read as the mail (lore serves t.mbox.gz)', async () => {
    const plain = await cli(['--format', 'json', INTRO.r1]);
    const gzipped = await cli(['--format', 'json', file('gzipped.patch', gzipSync(readFileSync(INTRO.r1)))]);
    assert.equal(gzipped.code, plain.code, gzipped.stderr);
    const strip = (stdout: string) => parseJson(stdout).findings.map(({ input: _input, ...f }) => f);
    assert.ok(strip(plain.stdout).length > 0);
    assert.deepEqual(strip(gzipped.stdout), strip(plain.stdout));
  });

  test('a damaged gzip file: one line naming it', async () => {
    const whole = gzipSync(readFileSync(INTRO.r1));
    await assertRefused(file('cut.patch.gz', whole.subarray(0, Math.floor(whole.length / 2))), /gzip: /);
  });

  test('an empty file, empty standard input and an empty git diff are nothing to check: exit 0, silent, as checkpatch.pl', async () => {
    assert.deepEqual(await cli([file('empty.patch', '')]), { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(await cli(['-'], ''), { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(spawnCli(['-'], { input: '' }), { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(spawnCli([], { input: '' }), { code: 0, stdout: '', stderr: '' });
  });

  test('text that is not a patch', async () => {
    await assertRefused(file('notes.patch', 'Meeting notes\n\n- review the P2PDMA series\n- lunch\n'), /not a patch, mail, mbox or C file/);
  });

  test('a missing file', async () => {
    await assertRefused(join(tmp, 'missing.patch'), /no such file or directory/);
  });

  test('an empty directory, and a directory of bad inputs: one line for each', async () => {
    const empty = join(tmp, 'empty-dir');
    mkdirSync(empty);
    await assertRefused(empty, /no patch, mail, mbox or C file in this directory/);
    const bad = join(tmp, 'bad-dir');
    mkdirSync(bad);
    writeFileSync(join(bad, 'a.patch'), 'Meeting notes\n');
    writeFileSync(join(bad, 'b.diff'), Buffer.from([0x64, 0x00, 0x01]));
    const run = await cli([bad, INTRO.r3]);
    assert.equal(run.code, 2);
    assertOneLineErrors(run.stderr, [join(bad, 'a.patch'), join(bad, 'b.diff')]);
    assert.match(run.stdout, /drivers\/nvme\/target\/rdma\.c:417: WARNING: R3 /, 'the good input after the directory is still checked');
  });

  test('a mail without a diff (a cover letter) is fine: no finding, no output, exit 0', async () => {
    const [cover] = mailsOfMbox(readFileSync(join(CORPUS, 'series', '2025-11-20-dmabuf-vfio-v9.mbox')));
    const path = file('0000-cover-letter.patch', cover!.bytes);
    assert.match(cover!.bytes.toString('utf8'), /^Subject: \[PATCH v9 00\/11\]/m);
    assert.deepEqual(await cli([path]), { code: 0, stdout: '', stderr: '' });
  });
});

describe('damaged patches', () => {
  const mail = readFileSync(INTRO.r1, 'utf8');
  const lines = mail.split('\n');

  test('a mail cut in the middle of a hunk: a notice naming the input, exit by the findings, the findings before the cut still printed', async () => {
    // Line 256 opens a 26-line hunk; cut after line 285, and inside that line.
    const cut = `${lines.slice(0, 284).join('\n')}\n${lines[284]!.slice(0, 6)}`;
    const path = file('cut.patch', cut);
    const run = await cli(['--terse', path]);
    assert.equal(run.code, 0, 'two R1 warnings and a notice: no error');
    assert.match(run.stderr, /^p2pcheck: note: .*cut\.patch: truncated hunk at line 256 \(drivers\/nvme\/host\/pci\.c\)/);
    assert.equal(run.stderr.split('\n').filter(Boolean).length, 1);
    assert.match(run.stdout, new RegExp(`^${path.replace(/[/.]/g, '\\$&')}:170: WARNING: R1 `, 'm'));
    const json = JSON.parse((await cli(['--format', 'json', path])).stdout) as { errors: unknown[]; notes: { kind: string; message: string }[]; findings: { rule: string; line: number }[] };
    assert.equal(json.errors.length, 0);
    assert.deepEqual(json.notes.map((n) => n.kind), ['corrupt']);
    assert.deepEqual(json.findings.map((f) => [f.rule, f.line]), [['R1', 583], ['R1', 870]]);
    assert.equal((await cli(['--fail-on', 'warning', path])).code, 1, 'the exit code follows the findings');
  });

  test('a mail cut in its headers: a mail without a diff once From and Subject are in, no patch before', async () => {
    const subject = lines.findIndex((l) => l.startsWith('Subject: '));
    const path = file('headers-only.patch', lines.slice(0, subject + 1).join('\n'));
    assert.deepEqual(await cli([path]), { code: 0, stdout: '', stderr: '' });
    await assertRefused(file('received-only.patch', lines.slice(0, 20).join('\n')), /not a patch, mail, mbox or C file/);
  });

  test('non-UTF-8 bytes in a plain diff: a one-line error and exit 2, but the same finding as the UTF-8 diff', async () => {
    const r3 = readFileSync(INTRO.r3, 'utf8').split('\n');
    const body = r3.slice(r3.indexOf('') + 1).join('\n');
    const latin1 = Buffer.concat([Buffer.from('Signed-off-by: Fran\xe7ois Caf\xe9 <f@example.org>\n', 'latin1'), Buffer.from(body)]);
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(latin1));
    const path = file('latin1.diff', latin1);
    const run = await cli(['--format', 'json', path]);
    assert.equal(run.code, 2, run.stderr);
    assertOneLineErrors(run.stderr, [path]);
    assert.match(run.stderr, /not valid UTF-8/);
    const found = parseJson(run.stdout).findings;
    assert.deepEqual(found.map((f) => [f.rule, f.path, f.line]), [['R3', 'drivers/nvme/target/rdma.c', 417]]);
    assert.equal(latin1.toString('latin1').split('\n')[found[0]!.patchLine - 1], '+\tif (!ib_uses_virt_dma(ndev->device))');
  });

  test('a mail with broken MIME (declared base64, body not base64) and a hunk with absurd counts do not crash', async () => {
    const broken = file('broken.eml', 'From: a@example.org\nSubject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!! @@ -1 +1 @@\n');
    const absurd = file('absurd.diff', '--- a/x.c\n+++ b/x.c\n@@ -1,1000000000 +1,1000000000 @@\n+int x;\n');
    const run = await cli([broken, absurd]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^p2pcheck: note: .*absurd\.diff: truncated hunk/);
    assert.equal(run.stderr.split('\n').filter(Boolean).length, 1);
  });
});

describe('a 50 MB mbox of noise mails', () => {
  const path = join(tmp, 'noise-50mb.mbox');
  let mails = 0;

  before(() => {
    const noise = readdirSync(NOISE).filter((n) => n.endsWith('.patch')).sort().map((n) => readFileSync(join(NOISE, n)));
    const separator = Buffer.from('From mboxrd@z Thu Jan  1 00:00:00 1970\n');
    const quoted = noise.map((m) => Buffer.from(m.toString('latin1').replace(/^(>*From )/gm, '>$1'), 'latin1'));
    const fd = openSync(path, 'w');
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++, mails++) {
      const mail = quoted[i % quoted.length]!;
      for (const part of [separator, mail, Buffer.from('\n')]) size += writeSync(fd, part);
    }
    closeSync(fd);
  });

  test('completes: exit 0, no finding, every mail read', { timeout: 180_000 }, () => {
    const run = spawnCli(['--stats', path], { timeout: 170_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    const stats = /^p2pcheck: (\d+) patches, /m.exec(run.stderr);
    const other = run.stderr.split('\n').filter((l) => l && !/^p2pcheck: (\d+ patches|note: .*: patch seems to be corrupt \(line wrapped\?\))/.test(l));
    assert.deepEqual(other, [], 'besides the statistics, only the notices of the one wrapped noise mail');
    assert.ok(stats, run.stderr);
    assert.equal(Number(stats[1]), mails);
    assert.ok(mails > 4000, `${mails} mails`);
  });

  test('--max-bytes bounds each mail of the mbox, not the mbox: one line per larger mail, the others checked', () => {
    const limit = 20_000;
    const run = spawnCli(['--max-bytes', String(limit), '--stats', path], { timeout: 170_000 });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    const lines = run.stderr.split('\n').filter(Boolean);
    const refused = lines.filter((l) => / too large \(\d+ bytes, limit 20000; see --max-bytes\)$/.test(l));
    assert.ok(refused.length > 0 && refused.length < mails / 2, `${refused.length} of ${mails} mails refused`);
    for (const l of refused) assert.match(l, new RegExp(`^p2pcheck: ${path.replace(/\W/g, '\\$&')}: mail \\d+ \\(line \\d+\\) too large`));
    const stats = /^p2pcheck: (\d+) patches, /m.exec(run.stderr);
    assert.equal(Number(stats?.[1]), mails - refused.length, 'every other mail was read');
    // besides the statistics, only the notices of the one wrapped noise mail (a damaged hunk is a notice)
    const others = lines.filter((l) => !refused.includes(l) && !/^p2pcheck: (\d+ patches|note: .*: patch seems to be corrupt \(line wrapped\?\))/.test(l));
    assert.deepEqual(others, [], run.stderr.slice(0, 2000));
  });

  test('--max-bytes still refuses a single mail larger than the limit', async () => {
    const run = await cli(['--max-bytes', '1000', INTRO.r1]);
    assert.equal(run.code, 2);
    assertOneLineErrors(run.stderr, [INTRO.r1]);
    assert.match(run.stderr, /too large \(\d+ bytes, limit 1000; see --max-bytes\)/);
  });
});

describe('all the bad inputs at once, as a process', () => {
  test('exit 2, one line per bad input, the good input reported, never an internal error', () => {
    const bad = [
      file('all-binary.patch', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00])),
      file('all-notes.txt', 'nothing to see\n'),
      join(tmp, 'all-missing.patch'),
    ];
    const run = spawnCli(['--terse', ...bad, INTRO.r3]);
    assert.equal(run.code, 2);
    assertOneLineErrors(run.stderr, bad);
    assert.match(run.stdout, /06-nvmet-rdma-ensure-dma-support\.reversed\.patch:125: WARNING: R3 /);
  });
});
