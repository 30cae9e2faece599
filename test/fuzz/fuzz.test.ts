import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { checkPatches } from '../../src/engine/lint.js';
import { InputError, readInput } from '../../src/input/read-input.js';
import { readInputStream } from '../../src/input/stream-input.js';
import { readUnifiedDiff } from '../../src/input/unified-diff.js';
import { cli } from '../cli/run-cli.js';
import { CORPUS, projectPath } from '../helpers/paths.js';

/**
 * Property tests over the input layer and the analysis: random, truncated and mutated mails, MIME
 * parts, hunk headers and C never crash, never hang, and fail only with one-line errors naming the
 * input. `npm test` runs a bounded number of cases (P2PCHECK_FUZZ_RUNS, default 40 a property);
 * `npm run fuzz` runs many more. A failure prints fast-check's seed and the shrunk case.
 */

const RUNS = Number(process.env['P2PCHECK_FUZZ_RUNS'] ?? 40);
/** Far above any real input's time: a case that takes longer is a hang, not a slow case. */
const HANG_MS = Number(process.env['P2PCHECK_FUZZ_HANG_MS'] ?? 20_000);
const SEED = process.env['P2PCHECK_FUZZ_SEED'] === undefined ? undefined : Number(process.env['P2PCHECK_FUZZ_SEED']);
const params = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true };
const TEST_TIMEOUT = Math.max(120_000, RUNS * 3_000);

const FOLDERS = ['labelled', 'noise', 'wild', 'series'];
const CORPUS_FILES = FOLDERS.flatMap((f) => readdirSync(join(CORPUS, f)).filter((n) => /\.(patch|mbox)$/.test(n)).sort().map((n) => join(CORPUS, f, n)));
const RULE_CASES = readdirSync(projectPath('test', 'rules'), { withFileTypes: true }).filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(projectPath('test', 'rules', d.name, 'cases')).sort().map((n) => projectPath('test', 'rules', d.name, 'cases', n)));
const SAMPLES = [...CORPUS_FILES, ...RULE_CASES];

/** Reads and checks one input as the CLI does; resolves with the one-line problems, rejects on a crash. */
async function readAndCheck(name: string, bytes: Buffer): Promise<string[]> {
  const start = performance.now();
  let problems: string[];
  try {
    const patches = await readInput(name, bytes);
    await checkPatches(patches);
    problems = patches.flatMap((p) => p.problems.map((problem) => `${name}: ${problem}`));
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`crash on ${bytes.length} bytes: ${(e as Error)?.stack ?? String(e)}`);
    problems = [e.message];
  }
  const ms = performance.now() - start;
  assert.ok(ms < HANG_MS, `${ms.toFixed(0)} ms on ${bytes.length} bytes: a hang`);
  for (const p of problems) {
    assert.ok(!p.includes('\n'), `one line: ${JSON.stringify(p.slice(0, 300))}`);
    assert.ok(p.startsWith(`${name}: `), `names the input: ${JSON.stringify(p.slice(0, 200))}`);
  }
  return problems;
}

/** Edits of a real input: cuts, deletions, insertions, duplicated and swapped lines, flipped bytes, changed hunk counts. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ op: fc.constant('insertLine' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), line: fc.constantFrom(
    '@@ -1,3 +1,4 @@', '@@ -0,0 +1 @@', '@@ -999999999,1 +1,99999999 @@ f(', 'diff --git a/x.c b/x.c', '--- a/x.c', '+++ b/x.c',
    'Content-Type: multipart/mixed; boundary="b"', '--b', 'Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: quoted-printable',
    '=?UTF-8?B?w6k=?=', '+\tbuf = pci_alloc_p2pmem(pdev, len);', '+\tdma_map_single(dev, buf, len, dir);', '+}', '+{', '-}', ' #if 0',
    'From mboxrd@z Thu Jan  1 00:00:00 1970', '>From x', '\\ No newline at end of file', 'Binary files a/x and b/x differ', '+/*', '+"', '\r')}),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 2000 }) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('counts' as const), n: fc.integer({ min: 0, max: 20 }), value: fc.integer({ min: 0, max: 100000 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const at = 'at' in m ? Math.floor(m.at * bytes.length) : 0;
  switch (m.op) {
    case 'truncate': return bytes.subarray(0, at);
    case 'delete': return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.len)]);
    case 'insert': return Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    case 'insertLine': {
      const nl = bytes.indexOf(0x0a, at);
      const cut = nl < 0 ? bytes.length : nl + 1;
      return Buffer.concat([bytes.subarray(0, cut), Buffer.from(`${m.line}\n`), bytes.subarray(cut)]);
    }
    case 'duplicate': return Buffer.concat([bytes.subarray(0, at + m.len), bytes.subarray(at)]);
    case 'flip': {
      const copy = Buffer.from(bytes);
      if (copy.length) copy[Math.min(at, copy.length - 1)] = m.byte;
      return copy;
    }
    case 'counts': {
      let k = 0;
      return Buffer.from(bytes.toString('latin1').replace(/^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@/gm, (h) => (k++ === m.n ? `@@ -${m.value},${m.value % 7} +${m.value},${m.value % 11} @@` : h)), 'latin1');
    }
  }
}

const sample = fc.constantFrom(...SAMPLES);

describe('fuzz: the input layer and the analysis never crash, never hang, and fail in one line', () => {
  test('random bytes', { timeout: TEST_TIMEOUT }, async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4096, size: 'large' }), fc.constantFrom('in.patch', 'in.c', 'in.mbox', '-'), async (bytes, name) => {
      await readAndCheck(name, Buffer.from(bytes));
    }), params);
  });

  test('random text that looks like a mail, a diff and C', { timeout: TEST_TIMEOUT }, async () => {
    const line = fc.oneof(
      fc.constantFrom('From: A <a@b>', 'Subject: [PATCH] x', '', 'diff --git a/d/x.c b/d/x.c', '--- a/d/x.c', '+++ b/d/x.c', '@@ -1,2 +1,3 @@ int f(void)',
        '+\tbuf = pci_alloc_p2pmem(pdev, len);', '+\taddr = dma_map_single(dev, buf, len, DMA_TO_DEVICE);', ' {', ' }', '-\treturn 0;', '+\tif (is_pci_p2pdma_page(sg_page(sg)))',
        'MIME-Version: 1.0', 'Content-Type: text/plain; charset="iso-8859-1"', 'Content-Transfer-Encoding: quoted-printable', '+\tx =3D y;=', '--', '2.43.0'),
      fc.string({ maxLength: 80 }),
    );
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 60, size: 'large' }), fc.constantFrom('in.patch', 'drivers/x.c'), async (lines, name) => {
      await readAndCheck(name, Buffer.from(lines.join('\n')));
    }), params);
  });

  test('corpus mails and rule cases, truncated and mutated', { timeout: TEST_TIMEOUT }, async () => {
    await fc.assert(fc.asyncProperty(sample, fc.array(mutation, { minLength: 1, maxLength: 4 }), async (path, mutations) => {
      const bytes = mutations.reduce(mutate, readFileSync(path));
      await readAndCheck(path, bytes);
    }), params);
  });

  test('MIME: multipart mails with random boundaries, encodings and charsets around a real patch', { timeout: TEST_TIMEOUT }, async () => {
    const patch = readFileSync(join(CORPUS, 'labelled', '02-rdma-rw-map-p2p-signature.reversed.patch'), 'utf8');
    const body = patch.slice(patch.search(/\n\n/) + 2);
    const part = fc.record({
      type: fc.constantFrom('text/plain', 'text/x-patch', 'text/x-diff', 'application/octet-stream', 'text/html', 'message/rfc822', 'multipart/alternative'),
      charset: fc.constantFrom('utf-8', 'iso-8859-1', 'us-ascii', 'x-unknown', 'utf-16', ''),
      encoding: fc.constantFrom('7bit', '8bit', 'base64', 'quoted-printable', 'x-uuencode', ''),
      cut: fc.double({ min: 0, max: 1, noNaN: true }),
      noise: fc.string({ maxLength: 20 }),
    });
    const encode = (text: string, encoding: string) => {
      if (encoding === 'base64') return Buffer.from(text).toString('base64').replace(/.{76}/g, '$&\n');
      if (encoding === 'quoted-printable') return text.replace(/=/g, '=3D').replace(/.{72}/g, '$&=\n');
      return text;
    };
    await fc.assert(fc.asyncProperty(fc.string({ minLength: 1, maxLength: 30 }), fc.array(part, { minLength: 1, maxLength: 4 }), fc.boolean(), async (boundary, parts, closed) => {
      const b = boundary.replace(/[\r\n]/g, '');
      const text = [
        'From: Dev <dev@example.org>', 'Subject: [PATCH] fuzz', 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${b}"`, '',
        ...parts.flatMap((p) => [`--${b}`, `Content-Type: ${p.type}${p.charset ? `; charset=${p.charset}` : ''}`,
          ...(p.encoding ? [`Content-Transfer-Encoding: ${p.encoding}`] : []), '', encode(body.slice(0, Math.floor(p.cut * body.length)) + p.noise, p.encoding)]),
        ...(closed ? [`--${b}--`] : []),
      ].join('\n');
      await readAndCheck('mime.eml', Buffer.from(text));
    }), params);
  });

  test('hunk headers: any counts and starts, any lines after them', { timeout: TEST_TIMEOUT }, async () => {
    const n = fc.oneof(fc.nat(5), fc.nat(), fc.constant(2 ** 31), fc.constant(Number.MAX_SAFE_INTEGER));
    const hunkLine = fc.oneof(fc.constantFrom('+', '-', ' ', '\\ No newline at end of file', '', '@@'), fc.string({ maxLength: 30 }).map((s) => `+${s}`), fc.string({ maxLength: 30 }));
    await fc.assert(fc.property(fc.array(fc.tuple(n, fc.option(n), n, fc.option(n), fc.array(hunkLine, { maxLength: 12 })), { minLength: 1, maxLength: 5 }), (hunks) => {
      const text = ['diff --git a/drivers/x.c b/drivers/x.c', '--- a/drivers/x.c', '+++ b/drivers/x.c',
        ...hunks.flatMap(([a, b, c, d, lines]) => [`@@ -${a}${b === null ? '' : `,${b}`} +${c}${d === null ? '' : `,${d}`} @@`, ...lines])].join('\n');
      const start = performance.now();
      const read = readUnifiedDiff(text, (i) => i + 1);
      assert.ok(performance.now() - start < HANG_MS);
      for (const p of read.problems) assert.ok(!p.includes('\n'), p);
      for (const f of read.files) for (const h of f.hunks) for (const l of h.lines) assert.ok(Number.isFinite(l.patchLine));
    }), params);
  });

  test('C: random token soup as a .c file goes through the parser and every rule', { timeout: TEST_TIMEOUT }, async () => {
    const token = fc.constantFrom('{', '}', '(', ')', ';', ',', '=', '*', '&', '->', '.', 'if', 'else', 'for', 'while', 'switch', 'case', 'default:', 'goto', 'out:',
      'return', 'int', 'void', 'struct', 'x', 'buf', 'sg', 'dev', 'pci_alloc_p2pmem', 'dma_map_single', 'dma_map_sgtable', 'is_pci_p2pdma_page', 'pci_p2pdma_state',
      'PCI_P2PDMA_MAP_BUS_ADDR', 'sg_page', 'for_each_sg', 'ioremap', 'kmap', 'memcpy', 'FOLL_PCI_P2PDMA', '#if', '#endif', '#define', '\n', '"', "'", '/*', '*/', '0', '-1');
    await fc.assert(fc.asyncProperty(fc.array(token, { maxLength: 300, size: 'large' }), async (tokens) => {
      await readAndCheck('drivers/fuzz/x.c', Buffer.from(`int f(void)\n{\n${tokens.join(' ')}\n}\n`));
    }), params);
  });

  test('streaming: any chunking of a (mutated) mbox, plain or gzipped, reads as the whole', { timeout: TEST_TIMEOUT }, async () => {
    const mboxes = CORPUS_FILES.filter((p) => p.endsWith('.mbox'));
    const chunks = fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 8 });
    await fc.assert(fc.asyncProperty(fc.constantFrom(...mboxes), fc.array(mutation, { maxLength: 2 }), chunks, fc.boolean(), async (path, mutations, sizes, gz) => {
      const bytes = mutations.reduce(mutate, readFileSync(path));
      let whole: Awaited<ReturnType<typeof readInput>> | string;
      try {
        whole = await readInput(path, bytes);
      } catch (e) {
        whole = e instanceof InputError ? e.message : `crash: ${String(e)}`;
      }
      const source = gz ? gzipSync(bytes) : bytes;
      const pieces: Buffer[] = [];
      for (let at = 0, i = 0; at < source.length; i++) {
        const size = sizes[i % sizes.length]!;
        pieces.push(source.subarray(at, at + size));
        at += size;
      }
      let streamed: Awaited<ReturnType<typeof readInput>> | string = [];
      try {
        for await (const group of readInputStream(path, pieces)) (streamed as unknown[]).push(...group.patches);
      } catch (e) {
        streamed = e instanceof InputError ? e.message : `crash: ${String(e)}`;
      }
      assert.deepEqual(streamed, whole);
    }), { ...params, numRuns: Math.max(5, Math.floor(RUNS / 2)) });
  });

  test('the CLI on random standard input: exit 0, 1 or 2, every standard-error line a one-line p2pcheck message', { timeout: TEST_TIMEOUT }, async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)), sample.chain((p) => fc.array(mutation, { maxLength: 3 }).map((ms) => ms.reduce(mutate, readFileSync(p))))), async (stdin) => {
      const run = await cli(['--format', 'json', '-'], stdin);
      assert.ok([0, 1, 2].includes(run.code), `exit ${run.code}: ${run.stderr.slice(0, 300)}`);
      for (const l of run.stderr.split('\n').filter(Boolean)) assert.match(l, /^p2pcheck: /);
      assert.doesNotMatch(run.stderr, /internal error|^\s+at /m);
      JSON.parse(run.stdout);
    }), params);
  });
});
