import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newStats, type LintStats } from '../../src/engine/lint.js';
import { scanFiles, triggerFilter, type ScanResult } from '../../src/engine/parallel-scan.js';
import { RULES } from '../../src/rules/index.js';
import type { Finding } from '../../src/rules/rule.js';
import { lintFile } from '../helpers/lint.js';

const NOISE_FILES = 300;

/** A tree of the rules' README examples, files naming a trigger harmlessly, and many files naming none. */
function writeTree(root: string): { paths: string[]; candidates: number } {
  const paths: string[] = [];
  const write = (path: string, text: string) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    paths.push(full);
  };
  const asFile = (code: string) => `#include <linux/pci.h>\n\nvoid example(void)\n{\n${code.split('\n').map((l) => `\t${l}`).join('\n')}\n}\n`;
  for (const rule of RULES) {
    const examples = rule.meta.examples!;
    const path = examples.path ?? `drivers/misc/${rule.meta.id.toLowerCase()}.c`;
    write(join('fires', path), asFile(examples.fires));
    write(join('quiet', path), asFile(examples.quiet));
  }
  write('drivers/misc/harmless.c', asFile('base = ioremap(res->start, SZ_4K);\nwritel(0, base);\nbuf = kmalloc(len, GFP_KERNEL);\naddr = dma_map_single(dev, buf, len, DMA_TO_DEVICE);'));
  write('drivers/pci/p2pdma.c', asFile('base = ioremap(res->start, SZ_4K);')); // a core file: R2's trigger is not one of its rules
  const candidates = paths.length - 1;
  for (let i = 0; i < NOISE_FILES; i++) {
    write(`drivers/noise/n${String(i).padStart(3, '0')}.${i % 5 ? 'c' : 'h'}`, `static int noise_${i}(int x)\n{\n\treturn x * ${i} + 1; /* no P2P here */\n}\n`);
  }
  return { paths, candidates };
}

async function sequential(paths: readonly string[]): Promise<{ findings: Finding[]; stats: LintStats }> {
  const stats = newStats();
  const findings: Finding[] = [];
  for (const path of paths) findings.push(...await lintFile(path, {}, stats));
  return { findings, stats };
}

describe('scanFiles', () => {
  let root: string;
  let tree: { paths: string[]; candidates: number };
  let expected: { findings: Finding[]; stats: LintStats };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'p2pcheck-scan-'));
    tree = writeTree(root);
    expected = await sequential(tree.paths);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('gives the findings of lintPatches on each file alone, in input order, on 2 workers', async () => {
    const result = await scanFiles(tree.paths, { lint: {}, jobs: 2 });
    assert.ok(expected.findings.length >= RULES.length, `the examples give ${expected.findings.length} findings`);
    assert.deepEqual(result.findings, expected.findings);
    assert.deepEqual(result.problems, []);
    assert.equal(result.aborted, false);
  });

  test('the pre-filter skips the files naming no trigger, and counts as a sequential run does', async () => {
    const { stats } = await scanFiles(tree.paths, { lint: {}, jobs: 2 });
    assert.equal(stats.files, tree.paths.length);
    // the noise, the core file, and examples whose text holds a trigger but not a rule's token groups
    assert.ok(stats.skipped >= NOISE_FILES + 1 && stats.skipped <= NOISE_FILES + 1 + RULES.length, `${stats.skipped} skipped`);
    assert.equal(stats.skipped, expected.stats.filesSkipped, 'the raw-text pre-filter skips what lintPatches skips');
    assert.equal(stats.parsed, tree.paths.length - stats.skipped);
    assert.ok(stats.parsed >= tree.candidates - RULES.length);
    assert.deepEqual(stats.lint, expected.stats);
    assert.ok(stats.peakRssMb > 0);
  });

  test('jobs: 1, jobs: 2 and sending paths instead of bytes give the same findings', async () => {
    const one = await scanFiles(tree.paths, { lint: {}, jobs: 1 });
    const two = await scanFiles(tree.paths, { lint: {}, jobs: 2 });
    const byPath = await scanFiles(tree.paths, { lint: {}, jobs: 2, send: 'path' });
    assert.deepEqual(one.findings, expected.findings);
    assert.deepEqual(two.findings, expected.findings);
    assert.deepEqual(byPath.findings, expected.findings);
  });

  test('honours the rule selection, in the pre-filter too', async () => {
    const result = await scanFiles(tree.paths, { lint: { rules: ['R8'] }, jobs: 2 });
    // with every rule, R8's finding names R4 too (one finding per defect); alone it cannot
    const bare = (fs: typeof result.findings) => fs.map(({ also: _also, ...f }) => f);
    assert.deepEqual(bare(result.findings), bare(expected.findings.filter((f) => f.rule === 'R8')));
    assert.equal(result.stats.parsed, 2);
  });

  test('reports unreadable and unreadable-as-C files as problems, in input order, and goes on', async () => {
    const binary = join(root, 'bad', 'binary.c');
    mkdirSync(dirname(binary), { recursive: true });
    writeFileSync(binary, Buffer.concat([Buffer.from('void *p = pci_alloc_p2pmem(pdev, 4);\n'), Buffer.from([0, 1, 2])]));
    const missing = join(root, 'bad', 'missing.c');
    const result = await scanFiles([missing, ...tree.paths, binary], { lint: {}, jobs: 2 });
    assert.deepEqual(result.problems.map((p) => p.input), [missing, binary]);
    assert.match(result.problems[0]!.message, /missing\.c: no such file or directory$/);
    assert.match(result.problems[1]!.message, /binary\.c: binary data/);
    assert.deepEqual(result.findings, expected.findings);
  });

  test('reports progress up to the total', async () => {
    const seen: number[] = [];
    await scanFiles(tree.paths, { lint: {}, jobs: 2, onProgress: (p) => seen.push(p.done) });
    assert.equal(seen.at(-1), tree.paths.length);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
  });

  test('no path, no worker: resolves at once', async () => {
    const result = await scanFiles([], { lint: {} });
    assert.deepEqual([result.aborted, result.findings, result.stats.files], [false, [], 0]);
  });

  test('an abort signalled before the start resolves at once, with nothing', async () => {
    const result = await scanFiles(tree.paths, { lint: {}, signal: AbortSignal.abort() });
    assert.deepEqual([result.aborted, result.findings.length, result.stats.parsed], [true, 0, 0]);
  });

  /** In a child process, so that a worker left running shows as a process that does not exit. */
  test('an abort after the first findings resolves with partial results, and no worker is left', () => {
    const script = join(root, 'abort.mjs');
    writeFileSync(script, [
      `import { scanFiles } from ${JSON.stringify(new URL('../../src/engine/parallel-scan.js', import.meta.url).href)};`,
      `const paths = ${JSON.stringify(tree.paths)};`,
      'const full = await scanFiles(paths, { lint: {}, jobs: 2 });',
      'const controller = new AbortController();',
      'const onProgress = (p) => { if (p.findings > 0) controller.abort(); };',
      'const partial = await scanFiles(paths, { lint: {}, jobs: 2, signal: controller.signal, onProgress });',
      'process.stdout.write(JSON.stringify({ full: full.findings, partial }));',
    ].join('\n'));
    const run = spawnSync(process.execPath, [script], { timeout: 15_000, encoding: 'utf8' });
    assert.equal(run.signal, null, 'the process had to be killed: a worker kept it alive');
    assert.equal(run.status, 0, run.stderr);
    const { full, partial } = JSON.parse(run.stdout) as { full: Finding[]; partial: ScanResult };
    assert.deepEqual(full, JSON.parse(JSON.stringify(expected.findings)));
    assert.equal(partial.aborted, true);
    assert.ok(partial.findings.length > 0, 'what was found before the abort is kept');
    assert.ok(partial.stats.parsed < tree.candidates, 'stopped before the end');
    const found = new Set(expected.findings.map((f) => JSON.stringify(f)));
    for (const f of partial.findings) assert.ok(found.has(JSON.stringify(f)), 'a partial finding is one of the full run');
  });
});

describe('triggerFilter', () => {
  const names = triggerFilter(RULES);

  test('finds trigger identifiers as lintPatches tokenises them, not inside longer identifiers', () => {
    // dma_map_resource is R8's trigger, and R8 has no token groups: the identifier alone decides
    assert.equal(names('drivers/x.c', 'a = dma_map_resource(dev, phys, len, dir, 0);'), true);
    assert.equal(names('drivers/x.c', 'a = my_dma_map_resource(dev);\ndma_map_resource_x();'), false);
    assert.equal(names('drivers/x.c', 'x = 12dma_map_resource;'), true, '/[A-Za-z_]\\w*/g reads "dma_map_resource" out of "12dma_map_resource"');
    assert.equal(names('drivers/x.c', 'x = a1dma_map_resource;'), false);
    assert.equal(names('drivers/x.c', '/* pci_alloc_p2pmem */'), true, 'comments count, as in lintPatches');
  });

  test('a core file meets only the rules that check core files', () => {
    assert.equal(names('drivers/pci/p2pdma.c', 'p = ioremap(a, b);'), false);
    assert.equal(names('drivers/pci/p2pdma.c', 'attrs |= DMA_ATTR_MMIO;'), true);
  });

  test('no rule, no file', () => {
    assert.equal(triggerFilter([])('drivers/x.c', 'pci_alloc_p2pmem'), false);
  });
});
