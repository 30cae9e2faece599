import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintPatches, treeContext } from '../../src/engine/lint.js';
import { readInput } from '../../src/input/read-input.js';
import { DirectoryTree } from '../../src/tree/source-tree.js';

/**
 * Benchmark 3, tree mode: a series of 12 patches to drivers/nvme and drivers/pci of Debian's
 * linux-source-6.12 (unpacked into bench-out/ by the tree benchmark), each adding a P2P mapping
 * inside an existing function; every patch is applied to the tree in memory and its whole file
 * parsed. Time per patch, beside the same series read as fragments.
 */
const TREE = join(process.cwd(), 'bench-out', 'linux-source-6.12');
const DIRS = ['drivers/nvme/host', 'drivers/nvme/target', 'drivers/pci'];
const PATCHES = 12;
const RUNS = 5;

function candidates(): string[] {
  return DIRS.flatMap((d) => (existsSync(join(TREE, d)) ? readdirSync(join(TREE, d)).filter((f) => f.endsWith('.c')).sort().map((f) => `${d}/${f}`) : []));
}

/** A format-patch mail that adds one mapping after the first local declaration block of a function. */
function mailFor(path: string, index: number, work: string): string | undefined {
  const text = readFileSync(join(TREE, path), 'utf8');
  const lines = text.split('\n');
  const at = lines.findIndex((l, i) => l === '{' && /^\t\w/.test(lines[i + 1] ?? '') && i > 20);
  if (at < 0) return undefined;
  lines.splice(at + 1, 0, '\tvoid *p2pcheck_buf = pci_alloc_p2pmem(to_pci_dev(NULL), 64);', '\tdma_map_single(NULL, p2pcheck_buf, 64, DMA_TO_DEVICE);');
  mkdirSync(join(work, 'a', path, '..'), { recursive: true });
  mkdirSync(join(work, 'b', path, '..'), { recursive: true });
  writeFileSync(join(work, 'a', path), text);
  writeFileSync(join(work, 'b', path), lines.join('\n'));
  const diff = spawnSync('diff', ['-u', `a/${path}`, `b/${path}`], { cwd: work, encoding: 'utf8' }).stdout;
  return [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
    'From: Bench <bench@example.org>',
    `Subject: [PATCH ${String(index + 1).padStart(2, '0')}/${PATCHES}] ${path}: map a P2P buffer`,
    '', 'Generated for the tree-mode benchmark.', '', '---', diff,
  ].join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(join(TREE, 'Makefile')) && !existsSync(join(TREE, 'drivers'))) {
    console.log(`\nseries benchmark: no kernel tree at ${TREE} (the tree benchmark unpacks it), skipped`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'p2pcheck-series-'));
  const mails = candidates().map((p, i) => mailFor(p, i, work)).filter((m): m is string => !!m).slice(0, PATCHES);
  const mbox = Buffer.from(mails.join('\n'));
  const source = new DirectoryTree(TREE);
  const time = async (inTree: boolean) => {
    const times: number[] = [];
    let findings = 0;
    let notes = 0;
    for (let run = 0; run < RUNS; run++) {
      const patches = await readInput('series.mbox', mbox);
      const tree = inTree ? treeContext(source) : undefined;
      const start = performance.now();
      findings = (await lintPatches(patches, { tree })).length;
      times.push((performance.now() - start) / patches.length);
      notes = tree?.notes.length ?? 0;
    }
    times.sort((a, b) => a - b);
    return { perPatchMs: Math.round(times[Math.floor(RUNS / 2)]! * 100) / 100, findings, notes };
  };
  await time(true); // warm-up
  const tree = await time(true);
  const fragments = await time(false);
  console.log(`\ntree mode: a series of ${mails.length} patches applied to linux-source-6.12 (median of ${RUNS})`);
  console.log(`  in the tree   ${tree.perPatchMs} ms a patch, ${tree.findings} findings, ${tree.notes} patches not applied`);
  console.log(`  fragments     ${fragments.perPatchMs} ms a patch, ${fragments.findings} findings`);
  writeFileSync(join(process.cwd(), 'bench-out', 'series-bench.json'), `${JSON.stringify({ patches: mails.length, tree, fragments }, null, 2)}\n`);
}

void main();
