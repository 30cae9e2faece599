import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { scanFiles } from '../../src/engine/parallel-scan.js';
import { cFilesUnder } from '../../src/cli/collect-inputs.js';
import { ensurePackage, kernelFolder, PACKAGE } from './kernel-tree.js';

/**
 * `node dist/test/bench/tree-bench.js`: the whole drivers/ folder of linux-source-6.12, side by
 * side: p2pcheck's scanFiles (pre-filter in the main thread, 2 worker threads), Coccinelle's spatch
 * with one semantic patch like R2 (-j 2), and the bare tree-sitter parse of every file with the
 * same workers. Each p2pcheck figure comes from a child process of its own, so that its peak RSS
 * (VmHWM: all threads) and CPU time are its own. Timings are reported, never asserted.
 */

const OUT = join(process.cwd(), 'bench-out');
const JOBS = 2;
const SPATCH_TIMEOUT_MS = 5 * 60_000;
const SELF = fileURLToPath(import.meta.url);

/** R2 as the issue puts it: dma_map_single/dma_map_page on pci_alloc_p2pmem() memory. */
const R2_COCCI = `// R2: a page/VA mapping call receives P2P memory
@r2a exists@
expression buf, dev, pdev, len, size, dir, off;
position p;
@@
buf = pci_alloc_p2pmem(pdev, len)
...
(
dma_map_single@p(dev, buf, size, dir)
|
dma_map_page@p(dev, virt_to_page(buf), off, size, dir)
)

@r2b exists@
identifier buf;
type T;
expression dev, pdev, len, size, dir, off;
position p;
@@
T buf = pci_alloc_p2pmem(pdev, len);
...
(
dma_map_single@p(dev, buf, size, dir)
|
dma_map_page@p(dev, virt_to_page(buf), off, size, dir)
)

@script:python depends on r2a@
p << r2a.p;
@@
coccilib.report.print_report(p[0], "R2: dma_map_single/dma_map_page on pci_alloc_p2pmem() memory")

@script:python depends on r2b@
p << r2b.p;
@@
coccilib.report.print_report(p[0], "R2: dma_map_single/dma_map_page on pci_alloc_p2pmem() memory")
`;

/** The same with the BAR sources R2 also follows (ioremap and friends): spatch's token grep lets more files through. */
const R2_BAR_COCCI = `// R2 with BAR sources: a page/VA mapping call receives P2P or BAR memory
@r exists@
expression buf, dev, e1, e2, e3, size, dir, off;
position p;
@@
(
buf = pci_alloc_p2pmem(e1, e2)
|
buf = ioremap(e1, e2)
|
buf = ioremap_wc(e1, e2)
|
buf = devm_ioremap(dev, e1, e2)
|
buf = pci_iomap(e1, e2, e3)
|
buf = pci_ioremap_bar(e1, e2)
)
...
(
dma_map_single@p(dev, buf, size, dir)
|
dma_map_page@p(dev, virt_to_page(buf), off, size, dir)
)

@script:python@
p << r.p;
@@
coccilib.report.print_report(p[0], "R2: dma_map_single/dma_map_page on P2P or BAR memory")
`;

interface ScanRun {
  label: string;
  rules?: string[];
  send?: 'bytes' | 'path';
  bare?: boolean;
}

interface ScanFigures {
  label: string;
  jobs: number;
  wallMs: number;
  /** Listing the tree, included in wallMs. */
  walkMs: number;
  files: number;
  skipped: number;
  parsed: number;
  findings: string[];
  problems: number;
  /** scanFiles' own sampled peak, and the kernel's high-water mark of the child process. */
  sampledPeakRssMb: number;
  vmHwmMb: number;
  /** CPU time of all threads over wall time: 2.0 means both cores busy. */
  coresBusy: number;
}

interface SpatchFigures {
  label: string;
  cocci: string;
  found: boolean;
  reason?: string;
  command?: string;
  wallMs?: number;
  timedOut?: boolean;
  exitStatus?: number | null;
  reports?: string[];
  cFiles?: number;
  /** .c files spatch did not skip after its token grep (counted in a second, verbose run). */
  parsed?: number;
  maxRssMb?: number;
  coresBusy?: number;
}

const SCAN_RUNS: ScanRun[] = [
  { label: 'p2pcheck, all rules' },
  { label: 'p2pcheck, R2 only', rules: ['R2'] },
  { label: 'p2pcheck, all rules, workers re-read', send: 'path' },
  { label: 'bare tree-sitter parse, every file', bare: true },
];

/** Runs in a child: lists the tree and scans it, then prints its figures as JSON. */
async function measureScan(root: string, run: ScanRun): Promise<ScanFigures> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const paths = await cFilesUnder([root]);
  const walkMs = performance.now() - start;
  const result = await scanFiles(paths, { lint: { rules: run.rules }, jobs: JOBS, send: run.send, bare: run.bare });
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return {
    label: run.label,
    jobs: JOBS,
    wallMs: round(wallMs),
    walkMs: round(walkMs),
    files: result.stats.files,
    skipped: result.stats.skipped,
    parsed: result.stats.parsed,
    findings: result.findings.map((f) => `${f.path.slice(root.length + 1)}:${f.line}: ${f.rule}`),
    problems: result.problems.length,
    sampledPeakRssMb: result.stats.peakRssMb,
    vmHwmMb: vmHwmMb(),
    coresBusy: round((cpu.user + cpu.system) / 1000 / wallMs, 2),
  };
}

function vmHwmMb(): number {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb ? Math.round(Number(kb) / 1024) : 0;
}

function scanInChild(root: string, run: ScanRun): ScanFigures {
  const child = spawnSync(process.execPath, [SELF, '--measure', root, JSON.stringify(run)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`${run.label}: the measuring child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as ScanFigures;
}

function spatchMissing(): string | undefined {
  if (spawnSync('spatch', ['--version'], { stdio: 'ignore' }).status === 0) return undefined;
  return ensurePackage('coccinelle', '/usr/bin/spatch');
}

function measureSpatch(label: string, cocci: string, root: string, cFiles: number): SpatchFigures {
  const missing = spatchMissing();
  if (missing) return { label, cocci, found: false, reason: missing };
  const args = ['--sp-file', cocci, '--dir', root, '-j', String(JOBS), '--very-quiet'];
  const timeFile = join(OUT, 'spatch-time.txt');
  const gnuTime = existsSync('/usr/bin/time');
  const [cmd, cmdArgs] = gnuTime ? ['/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, 'spatch', ...args]] : ['spatch', args];
  const start = performance.now();
  const run = spawnSync(cmd, cmdArgs, { cwd: OUT, encoding: 'utf8', timeout: SPATCH_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - start;
  const [user, sys, maxRssKb] = gnuTime && existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number) : [];
  rmSync(timeFile, { force: true });
  const timedOut = run.error !== undefined && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return {
    label, cocci, found: true,
    command: `spatch ${args.join(' ')}`,
    wallMs: round(wallMs),
    timedOut,
    exitStatus: run.status,
    reports: run.stdout.split('\n').filter((l) => /:\d+:\d+-\d+: /.test(l)).map((l) => l.replace(`${root}/`, '')),
    cFiles,
    parsed: timedOut ? undefined : cFiles - skippedBySpatch(cocci, root),
    maxRssMb: maxRssKb ? Math.round(maxRssKb / 1024) : undefined,
    coresBusy: user !== undefined && sys !== undefined ? round(((user + sys) * 1000) / wallMs, 2) : undefined,
  };
}

/** spatch says which files its token grep skips only when not --very-quiet: a second, untimed run. */
function skippedBySpatch(cocci: string, root: string): number {
  const run = spawnSync('spatch', ['--sp-file', cocci, '--dir', root, '-j', String(JOBS)], { cwd: OUT, encoding: 'utf8', timeout: SPATCH_TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 });
  return `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => l.startsWith('Skipping:')).length;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') {
    process.stdout.write(JSON.stringify(await measureScan(process.argv[3]!, JSON.parse(process.argv[4]!) as ScanRun)));
    return;
  }
  mkdirSync(OUT, { recursive: true });
  const tree = kernelFolder(OUT, 'drivers');
  if ('missing' in tree) {
    console.log(`tree-bench: ${tree.missing}; nothing measured`);
    return;
  }
  const files = await cFilesUnder([tree.root]);
  const cFiles = files.filter((f) => f.endsWith('.c')).length;
  const megabytes = Math.round(files.reduce((sum, f) => sum + statSync(f).size, 0) / 2 ** 20);
  const scans = SCAN_RUNS.map((run) => { console.log(`tree-bench: ${run.label}...`); return scanInChild(tree.root, run); });
  const spatch = [['spatch, R2 (pci_alloc_p2pmem)', 'r2.cocci', R2_COCCI], ['spatch, R2 with BAR sources', 'r2-bar.cocci', R2_BAR_COCCI]].map(([label, name, text]) => {
    const cocci = join(OUT, name!);
    writeFileSync(cocci, text!);
    console.log(`tree-bench: ${label}...`);
    return measureSpatch(label!, cocci, tree.root, cFiles);
  });
  const figures = {
    when: new Date().toISOString(),
    machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length },
    tree: { root: tree.root, package: PACKAGE, files: files.length, cFiles, megabytes },
    scans,
    spatch,
  };
  console.log(`\n${table(figures.tree, scans, spatch)}`);
  writeFileSync(join(OUT, 'tree-bench.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log('\nfigures written to bench-out/tree-bench.json');
}

function table(tree: { files: number; cFiles: number; megabytes: number }, scans: ScanFigures[], spatch: SpatchFigures[]): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rate = (ms: number) => `${Math.round(tree.files / (ms / 1000))}`;
  const rows: string[][] = [['', 'wall', 'files/s', 'parsed', 'findings', 'peak RSS', 'cores busy']];
  for (const f of scans) {
    rows.push([f.label, s(f.wallMs), rate(f.wallMs), `${f.parsed}`, f.label.startsWith('bare') ? '-' : `${f.findings.length}`, `${Math.max(f.vmHwmMb, f.sampledPeakRssMb)} MB`, f.coresBusy.toFixed(2)]);
  }
  for (const f of spatch) {
    if (!f.found || f.wallMs === undefined) { rows.push([f.label, `not run: ${f.reason}`]); continue; }
    rows.push([f.label, `${s(f.wallMs)}${f.timedOut ? ' (timed out)' : ''}`, rate(f.wallMs), f.parsed === undefined ? '?' : `${f.parsed} of ${f.cFiles} .c`,
      `${f.reports?.length ?? 0}`, f.maxRssMb === undefined ? '?' : `${f.maxRssMb} MB (1 proc)`, f.coresBusy?.toFixed(2) ?? '?']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  return [
    `tree-bench: drivers/ of ${PACKAGE}: ${tree.files} .c/.h files (${tree.cFiles} .c; spatch --dir reads only these), ${tree.megabytes} MB; ${JOBS} jobs; node ${process.version}, ${cpus().length} CPUs`,
    '',
    ...lines,
    '',
    ...ratios(scans, spatch),
  ].join('\n');
}

function ratios(scans: ScanFigures[], spatch: SpatchFigures[]): string[] {
  const [all, r2, , bare] = scans;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const lines = [
    `p2pcheck (all rules) / bare parse: ${x(all!.wallMs, bare!.wallMs)} of the time`,
    `p2pcheck (all rules), workers re-reading / handed the bytes: ${x(scans[2]!.wallMs, all!.wallMs)} of the time`,
  ];
  for (const sp of spatch) {
    if (sp.wallMs === undefined) continue;
    lines.push(`p2pcheck (all rules) / ${sp.label}: ${x(all!.wallMs, sp.wallMs)};  p2pcheck (R2 only) / ${sp.label}: ${x(r2!.wallMs, sp.wallMs)}`);
  }
  return lines;
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

await main();
