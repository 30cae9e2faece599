import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Parser } from 'web-tree-sitter';
import { isCSource } from '../../src/analysis/core-files.js';
import { cParser, withTree } from '../../src/c-parse/c-parser.js';
import { buildFragment, hunkLines } from '../../src/c-parse/fragment.js';
import { lintPatches, newStats, type LintStats } from '../../src/engine/lint.js';
import { splitMbox, startsWithMboxSeparator } from '../../src/input/mbox.js';
import { targetPath, type Patch } from '../../src/input/patch-model.js';
import { InputError, readInput } from '../../src/input/read-input.js';
import { locateCheckpatch, runCheckpatch } from './checkpatch.js';

/**
 * `npm run bench`: lints the whole shared corpus in-process, several times, and checkpatch.pl
 * over the same mails in one process. Timings are reported, never asserted: the machine is shared.
 */

const ROOT = process.cwd();
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const FOLDERS = ['labelled', 'noise', 'series', 'wild'];
const OUT = join(ROOT, 'bench-out');
const RUNS = 5;
const BATCH_MAILS = 1000;
const BATCH_RUNS = 3;

interface Input {
  name: string;
  bytes: Buffer;
}

/** One pass over the corpus. A mail's time is its own lint time plus an equal share of its file's read time. */
interface Pass {
  totalMs: number;
  readMs: number;
  lintMs: number;
  mails: string[];
  mailMs: number[];
  findings: number;
  unreadable: string[];
  stats: LintStats;
}

interface Figures {
  when: string;
  machine: { node: string; cpu: string; cpus: number };
  corpus: { files: number; mails: number; mailsAfterSplit: number; unreadable: string[] };
  runs: number;
  p2pcheck: {
    /** From process start (node, module loading) to the end of the first pass: one cold CLI-like run. */
    coldMs: number;
    parserInitMs: number;
    coldPassMs: number;
    totalMs: number;
    readMs: number;
    lintMs: number;
    perMailMedianMs: number;
    perMailMeanMs: number;
    perMailP90Ms: number;
    findings: number;
    stats: LintStats;
    slowest: { mail: string; ms: number }[];
  };
  batch: { mails: number; totalMs: number; perMailMs: number };
  /** Reading, then parsing every post-image hunk of every C file: no pre-filter, no rules. */
  floor: { totalMs: number; perMailMs: number };
  checkpatch: CheckpatchFigures;
  ratio?: { warm: number; cold: number };
}

interface CheckpatchFigures {
  found: boolean;
  reason?: string;
  source?: string;
  script?: string;
  mails?: number;
  totalMs?: number;
  perMailMs?: number;
  reports?: number;
  exitStatus?: number | null;
}

interface Measured {
  startupMs: number;
  corpus: readonly Input[];
  cold: Pass;
  passes: readonly Pass[];
  initMs: number;
  floorMs: number;
  batchMs: number;
  checkpatch: CheckpatchFigures;
  splitMails: number;
}

function loadCorpus(): Input[] {
  return FOLDERS.flatMap((folder) => {
    const dir = join(CORPUS, folder);
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /\.(patch|mbox)$/.test(n)).sort();
    } catch {
      return [];
    }
    return names.map((n) => ({ name: `${folder}/${n}`, bytes: readFileSync(join(dir, n)) }));
  });
}

async function lintPass(inputs: readonly Input[]): Promise<Pass> {
  const pass: Pass = { totalMs: 0, readMs: 0, lintMs: 0, mails: [], mailMs: [], findings: 0, unreadable: [], stats: newStats() };
  const start = performance.now();
  for (const input of inputs) {
    const readStart = performance.now();
    const patches = await readOrSkip(input, pass.unreadable);
    const readMs = performance.now() - readStart;
    pass.readMs += readMs;
    for (const patch of patches) {
      const lintStart = performance.now();
      pass.findings += (await lintPatches([patch], {}, pass.stats)).length;
      const lintMs = performance.now() - lintStart;
      pass.lintMs += lintMs;
      pass.mails.push(patches.length > 1 ? `${input.name}#${patch.mailIndex}` : input.name);
      pass.mailMs.push(lintMs + readMs / patches.length);
    }
  }
  pass.totalMs = performance.now() - start;
  return pass;
}

async function readOrSkip(input: Input, unreadable: string[]): Promise<Patch[]> {
  try {
    return await readInput(input.name, input.bytes);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    unreadable.push(input.name);
    return [];
  }
}

async function floorPass(inputs: readonly Input[], parser: Parser): Promise<number> {
  const start = performance.now();
  for (const input of inputs) {
    for (const patch of await readInput(input.name, input.bytes)) parseHunks(parser, patch);
  }
  return performance.now() - start;
}

function parseHunks(parser: Parser, patch: Patch): void {
  for (const file of patch.files) {
    if (file.status === 'binary' || file.status === 'deleted' || !isCSource(targetPath(file))) continue;
    for (const hunk of file.hunks) {
      withTree(parser, buildFragment(hunkLines(hunk, 'new'), hunk.context).source, () => undefined);
    }
  }
}

/** Each mbox split into its mails, so that a batch can cycle mails and checkpatch sees one mail a file. */
function splitIntoMails(inputs: readonly Input[]): Input[] {
  return inputs.flatMap((input) => {
    if (!startsWithMboxSeparator(input.bytes.subarray(0, 4096).toString('latin1'))) return [input];
    return splitMbox(input.bytes).map((mail, i) => ({ name: `${input.name}#${i}`, bytes: mail.bytes }));
  });
}

async function batchPass(mails: readonly Input[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < BATCH_MAILS; i++) {
    const mail = mails[i % mails.length]!;
    await lintPatches(await readInput(mail.name, mail.bytes));
  }
  return performance.now() - start;
}

async function repeat(times: number, run: () => Promise<number>): Promise<number> {
  const results: number[] = [];
  for (let i = 0; i < times; i++) results.push(await run());
  return median(results);
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await run();
  return [result, performance.now() - start];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Each mail's median over the passes. */
function perMailMedians(passes: readonly Pass[]): number[] {
  return passes[0]!.mailMs.map((_, i) => median(passes.map((p) => p.mailMs[i]!)));
}

/** checkpatch over the same mails: corpus files as they are, mbox mails as one temp file each. */
function checkpatchFigures(mails: readonly Input[]): CheckpatchFigures {
  const located = locateCheckpatch(OUT);
  if ('missing' in located) return { found: false, reason: located.missing };
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-bench-'));
  try {
    const files = mails.map((mail, i) => {
      if (!mail.name.includes('#')) return join(CORPUS, mail.name);
      const file = join(dir, `${String(i).padStart(4, '0')}.patch`);
      writeFileSync(file, mail.bytes);
      return file;
    });
    const run = runCheckpatch(located.script, files, dir);
    if (run.error) return { found: false, reason: `perl failed: ${run.error}` };
    const { script, source } = located;
    return { found: true, source, script, mails: files.length, totalMs: run.ms, perMailMs: run.ms / files.length, reports: run.reports, exitStatus: run.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const startupMs = performance.now();
  const corpus = loadCorpus();
  if (corpus.length === 0) {
    console.log(`bench: no *.patch or *.mbox under ${CORPUS}, nothing measured`);
    return;
  }
  const [parser, initMs] = await timed(() => cParser());
  const cold = await lintPass(corpus);
  const inputs = corpus.filter((i) => !cold.unreadable.includes(i.name));
  const passes: Pass[] = [];
  for (let i = 0; i < RUNS; i++) passes.push(await lintPass(inputs));
  const floorMs = await repeat(RUNS, () => floorPass(inputs, parser));
  const mails = splitIntoMails(inputs);
  const batchMs = await repeat(BATCH_RUNS, () => batchPass(mails));
  const checkpatch = checkpatchFigures(mails);
  const figures = summarise({ startupMs, corpus, cold, passes, initMs, floorMs, batchMs, checkpatch, splitMails: mails.length });
  console.log(table(figures));
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'bench.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`\nfigures written to bench-out/bench.json`);
}

function summarise(m: Measured): Figures {
  const last = m.passes.at(-1)!;
  const mailMs = perMailMedians(m.passes);
  const mails = mailMs.length;
  const totalMs = median(m.passes.map((p) => p.totalMs));
  const slowest = mailMs.map((ms, i) => ({ mail: last.mails[i]!, ms: round(ms) })).sort((a, b) => b.ms - a.ms).slice(0, 5);
  const cp = m.checkpatch;
  const coldMs = m.startupMs + m.initMs + m.cold.totalMs;
  return {
    when: new Date().toISOString(),
    machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length },
    corpus: { files: m.corpus.length, mails, mailsAfterSplit: m.splitMails, unreadable: m.cold.unreadable },
    runs: m.passes.length,
    p2pcheck: {
      coldMs: round(coldMs),
      parserInitMs: round(m.initMs),
      coldPassMs: round(m.cold.totalMs),
      totalMs: round(totalMs),
      readMs: round(median(m.passes.map((p) => p.readMs))),
      lintMs: round(median(m.passes.map((p) => p.lintMs))),
      perMailMedianMs: round(median(mailMs)),
      perMailMeanMs: round(totalMs / mails),
      perMailP90Ms: round(quantile(mailMs, 0.9)),
      findings: last.findings,
      stats: last.stats,
      slowest,
    },
    batch: { mails: BATCH_MAILS, totalMs: round(m.batchMs), perMailMs: round(m.batchMs / BATCH_MAILS) },
    floor: { totalMs: round(m.floorMs), perMailMs: round(m.floorMs / mails) },
    checkpatch: { ...cp, totalMs: cp.totalMs && round(cp.totalMs), perMailMs: cp.perMailMs && round(cp.perMailMs) },
    ratio: cp.totalMs === undefined ? undefined : {
      warm: round(cp.totalMs / totalMs, 1),
      cold: round(cp.totalMs / coldMs, 1),
    },
  };
}

function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

const LEGEND = [
  'A mail\'s time: its lint time plus an equal share of the read time of its file (an mbox is read once).',
  'Warm figures are medians over the passes; per-mail figures use each mail\'s median over the passes.',
  'The batch reads and lints each mail on its own, mbox mails split first. "Read + parse every C hunk"',
  'parses all post-image hunks; the linter parses only C files whose lines name a rule trigger.',
  'Ratios compare totals over the same mails; cold counts node start-up, module loading and WASM init.',
];

function table(f: Figures): string {
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
  const p = f.p2pcheck;
  const rows: [string, string][] = [
    ['mails (files)', `${f.corpus.mails} (${f.corpus.files} files${f.corpus.unreadable.length ? `, ${f.corpus.unreadable.length} unreadable` : ''})`],
    ['cold: process start to end of 1st pass', ms(p.coldMs)],
    ['  of which parser init (WASM, once)', ms(p.parserInitMs)],
    ['  of which first pass', ms(p.coldPassMs)],
    [`warm pass total (median of ${f.runs})`, ms(p.totalMs)],
    ['  of which read / lint', `${ms(p.readMs)} / ${ms(p.lintMs)}`],
    ['per mail: median / mean / p90', `${ms(p.perMailMedianMs)} / ${ms(p.perMailMeanMs)} / ${ms(p.perMailP90Ms)}`],
    ['slowest mail', p.slowest[0] ? `${ms(p.slowest[0].ms)}  ${p.slowest[0].mail}` : '-'],
    ['findings', String(p.findings)],
    [`${f.batch.mails}-mail batch (cycled)`, `${ms(f.batch.totalMs)}  (${ms(f.batch.perMailMs)} a mail)`],
    ['read + parse every C hunk, no rules', `${ms(f.floor.totalMs)}  (${ms(f.floor.perMailMs)} a mail)`],
    ...checkpatchRows(f, ms),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const head = `p2pcheck bench: node ${f.machine.node}, ${f.machine.cpus} x ${f.machine.cpu}`;
  return [head, '', ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`), '', ...LEGEND].join('\n');
}

function checkpatchRows(f: Figures, ms: (v: number) => string): [string, string][] {
  const cp = f.checkpatch;
  if (!cp.found || cp.totalMs === undefined || cp.perMailMs === undefined) return [['checkpatch:', `not found (${cp.reason}), skipped`]];
  return [
    [`checkpatch, one process, ${cp.mails} mails`, `${ms(cp.totalMs)}  (${ms(cp.perMailMs)} a mail, ${cp.reports} reports)`],
    ['checkpatch from', cp.source ?? ''],
    ['ratio checkpatch / p2pcheck', f.ratio ? `${f.ratio.warm}x warm, ${f.ratio.cold}x cold (target 40x)` : '-'],
  ];
}

await main();
