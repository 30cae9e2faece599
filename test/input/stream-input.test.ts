import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MboxSplitter, splitMbox, type RawMail } from '../../src/input/mbox.js';
import { InputError, readInput } from '../../src/input/read-input.js';
import { readInputStream } from '../../src/input/stream-input.js';
import type { Patch } from '../../src/input/patch-model.js';
import { runCli } from '../../src/cli/run.js';
import { cli, parseJson } from '../cli/run-cli.js';
import { LABELLED } from '../helpers/paths.js';
import { SERIES } from './raw-lines.js';

const MBOXES = readdirSync(SERIES).filter((n) => n.endsWith('.mbox')).sort().map((n) => join(SERIES, n));
const tmp = mkdtempSync(join(tmpdir(), 'p2pcheck-stream-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The bytes in chunks of `size` (the last one shorter). */
function* chunked(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function splitInChunks(bytes: Buffer, size: number, maxBytes?: number): RawMail[] {
  const splitter = new MboxSplitter(maxBytes);
  const mails: RawMail[] = [];
  for (const chunk of chunked(bytes, size)) mails.push(...splitter.push(chunk));
  mails.push(...splitter.end());
  return mails;
}

async function collect(input: string, chunks: Iterable<Buffer>, maxBytes?: number): Promise<{ patches: Patch[]; errors: string[] }> {
  const patches: Patch[] = [];
  const errors: string[] = [];
  for await (const group of readInputStream(input, chunks, { maxBytes })) {
    patches.push(...group.patches);
    if (group.error) errors.push(group.error);
  }
  return { patches, errors };
}

describe('MboxSplitter: splitMbox a chunk at a time', () => {
  for (const path of MBOXES) {
    test(`${path.split('/').pop()}: the same mails and first lines for any chunk size`, () => {
      const bytes = readFileSync(path);
      const whole = splitMbox(bytes);
      assert.ok(whole.length >= 3, `${whole.length} mails`);
      for (const size of [1, 2, 5, 37, 4096, bytes.length]) {
        const streamed = splitInChunks(bytes, size);
        assert.equal(streamed.length, whole.length, `chunks of ${size}`);
        streamed.forEach((m, i) => {
          assert.equal(m.firstLine, whole[i]!.firstLine, `mail ${i} firstLine, chunks of ${size}`);
          assert.ok(m.bytes.equals(whole[i]!.bytes), `mail ${i} bytes, chunks of ${size}`);
        });
      }
    });
  }

  test('mboxrd quoting, a separator split across chunks, a last line without newline', () => {
    const text = 'From a@b Thu Jan  1 00:00:00 1970\nSubject: x\n\n>From here\n>>From there\nFrom b@c Fri Jan  2 00:00:00 1970\nbody\nFrom c@d Sat Jan  3 00:00:00 1970';
    const bytes = Buffer.from(text);
    const whole = splitMbox(bytes);
    assert.equal(whole.length, 3);
    assert.equal(whole[0]!.bytes.toString(), 'Subject: x\n\nFrom here\n>From there\n');
    for (const size of [1, 3, 40, 41, 42, 1000]) assert.deepEqual(splitInChunks(bytes, size), whole, `chunks of ${size}`);
  });

  test('a mail over the limit is not kept: its size is given instead, the mails around it are whole', () => {
    const bytes = readFileSync(MBOXES[0]!);
    const whole = splitMbox(bytes);
    const limit = Math.max(...whole.map((m) => m.bytes.length)) - 1;
    const streamed = splitInChunks(bytes, 1000, limit);
    assert.equal(streamed.length, whole.length);
    streamed.forEach((m, i) => {
      if (whole[i]!.bytes.length > limit) {
        assert.equal((m as { tooLarge?: number }).tooLarge, whole[i]!.bytes.length);
        assert.equal(m.bytes.length, 0);
      } else {
        assert.ok(m.bytes.equals(whole[i]!.bytes));
      }
    });
  });
});

describe('readInputStream', () => {
  for (const path of MBOXES) {
    test(`${path.split('/').pop()}: the patches readInput gives, plain and gzipped, in any chunking`, async () => {
      const bytes = readFileSync(path);
      const expected = await readInput(path, bytes);
      assert.deepEqual((await collect(path, chunked(bytes, 4096))).patches, expected);
      assert.deepEqual((await collect(path, chunked(gzipSync(bytes), 333))).patches, expected);
    });
  }

  test('a patch, a C file and a diff: one group, as readInput reads them', async () => {
    for (const name of ['01-rdma-rw-fix-error-flow.patch', '06-nvmet-rdma-ensure-dma-support.patch']) {
      const path = join(LABELLED, name);
      const bytes = readFileSync(path);
      assert.deepEqual((await collect(path, chunked(bytes, 100))).patches, await readInput(path, bytes));
    }
  });

  test('the errors readInput gives, as InputErrors naming the input', async () => {
    const refused = async (chunks: Buffer[], reason: RegExp, maxBytes?: number) => {
      await assert.rejects(collect('in.patch', chunks, maxBytes), (e: unknown) => e instanceof InputError && reason.test(e.message) && e.message.startsWith('in.patch: '));
    };
    assert.deepEqual(await collect('in.patch', []), { patches: [], errors: [] }, 'empty input is nothing to check (exit 0, as checkpatch.pl)');
    await refused([Buffer.from('x\0y')], /binary data/);
    await refused([Buffer.from('just words\n')], /not a patch/);
    await refused([Buffer.alloc(600, 0x61), Buffer.alloc(600, 0x61)], /too large \(1200 bytes, limit 1000;/, 1000);
    await refused([gzipSync(Buffer.from('hello\n')).subarray(0, 12)], /^in\.patch: gzip: /);
  });

  test('an oversized mail of an mbox is one error naming the input and the mail; the others are read', async () => {
    const path = MBOXES[0]!;
    const bytes = readFileSync(path);
    const whole = splitMbox(bytes);
    const limit = Math.max(...whole.map((m) => m.bytes.length)) - 1;
    const big = whole.findIndex((m) => m.bytes.length > limit);
    const { patches, errors } = await collect(path, chunked(bytes, 65536), limit);
    assert.deepEqual(errors, [`${path}: mail ${big + 1} (line ${whole[big]!.firstLine}) too large (${whole[big]!.bytes.length} bytes, limit ${limit}; see --max-bytes)`]);
    assert.deepEqual(patches.map((p) => p.mailIndex), whole.map((_, i) => i).filter((i) => i !== big));
  });
});

describe('directories: .mbx and .gz files are read, files that look like inputs but cannot be are named', () => {
  test('a b4 .mbx, a lore .mbox.gz, a .tar.gz, an .mbox.xz and a dangling link', async () => {
    const dir = join(tmp, 'dir');
    mkdirSync(dir);
    const series = readFileSync(MBOXES[0]!);
    writeFileSync(join(dir, 'v9.mbx'), series);
    writeFileSync(join(dir, 't.mbox.gz'), gzipSync(series));
    writeFileSync(join(dir, 'linux.tar.gz'), gzipSync(Buffer.from('not a tarball')));
    writeFileSync(join(dir, 'old.mbox.xz'), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]));
    writeFileSync(join(dir, 'README'), 'not an input, not named\n');
    symlinkSync(join(dir, 'missing-target'), join(dir, 'dangling.patch'));
    const alone = await cli(['--format', 'json', '--fail-on', 'never', MBOXES[0]!]);
    const run = await cli(['--format', 'json', '--fail-on', 'never', dir]);
    const lines = run.stderr.split('\n').filter(Boolean);
    assert.deepEqual(lines.filter((l) => l.includes('skipped')), [
      `p2pcheck: skipped ${join(dir, 'linux.tar.gz')}: a gzip file that does not hold a .patch, .diff, .mbox, .mbx, .eml or .mail`,
      `p2pcheck: skipped ${join(dir, 'old.mbox.xz')}: compressed other than with gzip (gunzip-compatible only)`,
    ]);
    assert.deepEqual(lines.filter((l) => !l.includes('skipped')), [`p2pcheck: ${join(dir, 'dangling.patch')}: no such file or directory`]);
    assert.equal(run.code, 2, 'the dangling link is an error');
    const findings = parseJson(run.stdout).findings;
    const single = parseJson(alone.stdout).findings.map(({ input: _i, ...f }) => f);
    assert.ok(single.length > 0);
    assert.deepEqual(findings.filter((f) => f.input.endsWith('t.mbox.gz')).map(({ input: _i, ...f }) => f), single);
    assert.deepEqual(findings.filter((f) => f.input.endsWith('v9.mbx')).map(({ input: _i, ...f }) => f), single);
  });
});

describe('an interrupted mbox never looks like a pass', () => {
  test('Ctrl-C (an aborted signal) stops between mails: the mail in hand is finished, one line naming the input, exit 130, later inputs not read', async () => {
    const interrupt = new AbortController();
    interrupt.abort();
    let stderr = '';
    const code = await runCli(['--fail-on', 'never', MBOXES[0]!, MBOXES[1]!], {
      stdout: () => {}, stderr: (t) => { stderr += t; }, stdin: async () => Buffer.alloc(0), stdinIsTTY: true, signal: interrupt.signal,
    });
    assert.equal(code, 130);
    assert.equal(stderr, `p2pcheck: ${MBOXES[0]}: interrupted after 1 mails; the findings so far follow\n`);
  });

  test('Ctrl-C in the middle of an mbox on standard input: the mails before it are reported, then one line, exit 130', async () => {
    // 40 copies of a series (over the 1 MiB read ahead to recognise the input), cut in two
    const one = readFileSync(MBOXES[0]!);
    const bytes = Buffer.concat(Array.from({ length: 40 }, () => one));
    const total = splitMbox(bytes).length;
    const cut = bytes.indexOf('\nFrom ', Math.floor(bytes.length * 0.6)) + 1;
    const interrupt = new AbortController();
    let stderr = '';
    let stdout = '';
    const code = await runCli(['--format', 'json', '--fail-on', 'never', '-'], {
      stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, stdin: async () => Buffer.alloc(0), stdinIsTTY: false, signal: interrupt.signal,
      stdinStream: async function* () {
        yield bytes.subarray(0, cut);
        interrupt.abort();
        yield bytes.subarray(cut);
      },
    });
    assert.equal(code, 130);
    const read = Number(/^p2pcheck: -: interrupted after (\d+) mails; the findings so far follow\n$/.exec(stderr)?.[1]);
    assert.ok(read > 0 && read < total, `${read} of ${total} mails read: ${stderr}`);
    const found = (parseJson(stdout).findings as { mail: number }[]).map((f) => f.mail);
    assert.ok(found.length > 0, 'the findings of the mails read are printed');
    assert.ok(found.every((m) => m < read), 'nothing of the mails after the interrupt');
  });
});
