import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { isCSource } from '../../src/analysis/core-files.js';
import { cParser, withTree } from '../../src/c-parse/c-parser.js';
import { buildFragment, hunkLines } from '../../src/c-parse/fragment.js';
import { lintPatches } from '../../src/engine/lint.js';
import { splitMbox, startsWithMboxSeparator } from '../../src/input/mbox.js';
import { targetPath, type Patch } from '../../src/input/patch-model.js';
import { readInput } from '../../src/input/read-input.js';
import { locateCheckpatch } from './checkpatch.js';

/**
 * `npm run bench`: every row of issue 11's table, each beside its peer, measured in the same run.
 * Per-process rows are medians of interleaved runs (p2pcheck, then its peer, then p2pcheck...),
 * with the CPU time (user + system) of each child beside the wall time: on a shared machine the
 * wall time carries the other tenants' load, the CPU time much less. The drivers/ row comes from
 * tree-bench.js and the editor row from editor-bench.js, run as children; P2PCHECK_BENCH_QUICK=1
 * leaves out drivers/ and the big mbox. Timings are reported, never asserted.
 */

const ROOT = process.cwd();
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const OUT = join(ROOT, 'bench-out');
const CLI = join(ROOT, 'dist', 'cli', 'p2pcheck.js');
const QUICK = process.env['P2PCHECK_BENCH_QUICK'] === '1';
const RUNS = Number(process.env['P2PCHECK_BENCH_RUNS'] ?? 9);
const NO_P2P = join(CORPUS, 'noise', 'block-01-block-bfq-fix-bfq-set-next-ioprio-data.patch');
const LABELLED_01 = join(CORPUS, 'labelled', '01-rdma-rw-fix-error-flow.patch');
const BIG_MBOX_MB = Number(process.env['P2PCHECK_BENCH_MBOX_MB'] ?? 640);

interface Run {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  status: number | null;
  stdout: string;
}

/** One child process, timed; its CPU time and peak RSS from GNU time when present, else from /proc while it runs. */
function runProcess(cmd: string, args: readonly string[], cwd = ROOT): Promise<Run> {
  const gnuTime = existsSync('/usr/bin/time');
  const timeFile = join(OUT, `time-${process.pid}.txt`);
  const [bin, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, cmd, ...args]] : [cmd, [...args]];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(bin, argv, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    let hwm = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { if (stdout.length < 1 << 20) stdout += d; });
    const poll = gnuTime ? undefined : setInterval(() => { hwm = Math.max(hwm, vmHwmMb(child.pid)); }, 50);
    child.on('error', reject);
    child.on('close', (status) => {
      const wallMs = performance.now() - start;
      clearInterval(poll);
      let cpuMs = NaN;
      let maxRssMb = hwm;
      if (gnuTime && existsSync(timeFile)) {
        const [user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
        cpuMs = (user! + sys!) * 1000;
        maxRssMb = Math.round(rssKb! / 1024);
        rmSync(timeFile, { force: true });
      }
      resolve({ wallMs, cpuMs, maxRssMb, status, stdout });
    });
  });
}

function vmHwmMb(pid: number | undefined): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

interface Side {
  label: string;
  wallMs: number;
  cpuMs: number;
  runs: number;
}

/** Medians of interleaved runs of two commands. */
async function interleaved(a: [string, string, string[]], b: [string, string, string[]], runs = RUNS): Promise<[Side, Side]> {
  const times: [Run[], Run[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    times[0].push(await runProcess(a[1], a[2]));
    times[1].push(await runProcess(b[1], b[2]));
  }
  const side = (label: string, rs: Run[]): Side => ({ label, wallMs: median(rs.map((r) => r.wallMs)), cpuMs: median(rs.map((r) => r.cpuMs)), runs });
  return [side(a[0], times[0]), side(b[0], times[1])];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Row {
  work: string;
  p2pcheck: string;
  peer: string;
  ratio: string;
  target: string;
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const both = (s: Side) => `${ms(s.wallMs)} (cpu ${ms(s.cpuMs)})`;

async function startupRows(checkpatch: string | undefined): Promise<Row[]> {
  const rows: Row[] = [];
  const [noP2P, node] = await interleaved(['p2pcheck', process.execPath, [CLI, NO_P2P]], ['node -e 0', process.execPath, ['-e', '0']]);
  rows.push({ work: 'one process, a patch with no P2P/DMA identifier', p2pcheck: both(noP2P), peer: `node -e 0: ${both(node)}`,
    ratio: `${(noP2P.wallMs / node.wallMs).toFixed(2)}x node (cpu ${(noP2P.cpuMs / node.cpuMs).toFixed(2)}x)`, target: '<= 1.3x node' });
  const [version] = await interleaved(['p2pcheck --version', process.execPath, [CLI, '--version']], ['node -e 0', process.execPath, ['-e', '0']], Math.max(3, RUNS >> 1));
  rows.push({ work: '  start-up share: node + bundle + option parsing (--version)', p2pcheck: both(version), peer: '', ratio: '', target: '' });
  if (checkpatch) {
    const [p2p, cp] = await interleaved(['p2pcheck', process.execPath, [CLI, '--fail-on', 'never', LABELLED_01]],
      ['checkpatch.pl', 'perl', [checkpatch, '--no-tree', '-q', '--terse', '--no-summary', LABELLED_01]]);
    rows.push({ work: 'one process, a P2P patch (corpus labelled 01)', p2pcheck: both(p2p), peer: `checkpatch.pl: ${both(cp)}`,
      ratio: `${(p2p.wallMs / cp.wallMs).toFixed(2)}x checkpatch (cpu ${(p2p.cpuMs / cp.cpuMs).toFixed(2)}x)`, target: '<= 1x checkpatch' });
  } else {
    const [p2p] = await interleaved(['p2pcheck', process.execPath, [CLI, '--fail-on', 'never', LABELLED_01]], ['node -e 0', process.execPath, ['-e', '0']]);
    rows.push({ work: 'one process, a P2P patch (corpus labelled 01)', p2pcheck: both(p2p), peer: 'checkpatch.pl not found', ratio: '', target: '<= 1x checkpatch' });
  }
  return rows;
}

/** The first 150 wild and noise mails (by name), one process each side. */
async function corpusRow(checkpatch: string | undefined): Promise<Row> {
  const mails = ['wild', 'noise'].flatMap((f) => readdirSync(join(CORPUS, f)).filter((n) => n.endsWith('.patch')).sort().map((n) => join(CORPUS, f, n)));
  const files = [...mails.filter((m) => m.includes('/wild/')).slice(0, 75), ...mails.filter((m) => m.includes('/noise/')).slice(0, 75)];
  const p2p: Run[] = [];
  const cp: Run[] = [];
  const runs = Math.max(1, RUNS >> 2);
  for (let i = 0; i < runs; i++) {
    p2p.push(await runProcess(process.execPath, [CLI, '--fail-on', 'never', ...files]));
    if (checkpatch) cp.push(await runProcess('perl', [checkpatch, '--no-tree', '-q', '--terse', '--no-summary', ...files], tmpdir()));
  }
  const p = { wallMs: median(p2p.map((r) => r.wallMs)), cpuMs: median(p2p.map((r) => r.cpuMs)) };
  const c = cp.length ? { wallMs: median(cp.map((r) => r.wallMs)), cpuMs: median(cp.map((r) => r.cpuMs)) } : undefined;
  return {
    work: `one process over ${files.length} wild+noise corpus mails`,
    p2pcheck: `${ms(p.wallMs)} (cpu ${ms(p.cpuMs)})`,
    peer: c ? `checkpatch.pl, one process: ${ms(c.wallMs)} (cpu ${ms(c.cpuMs)})` : 'checkpatch.pl not found',
    ratio: c ? `${(c.wallMs / p.wallMs).toFixed(1)}x faster (cpu ${(c.cpuMs / p.cpuMs).toFixed(1)}x)` : '',
    target: '>= 40x',
  };
}

/** The 1,000-mail batch in-process, warm (as the README figure), beside the bare parse of every C hunk of the same mails. */
async function batchRow(): Promise<Row> {
  const inputs = ['labelled', 'noise', 'series', 'wild'].flatMap((f) => readdirSync(join(CORPUS, f)).filter((n) => /\.(patch|mbox)$/.test(n)).sort()
    .map((n) => ({ name: `${f}/${n}`, bytes: readFileSync(join(CORPUS, f, n)) })));
  const mails = inputs.flatMap((input) => startsWithMboxSeparator(input.bytes.subarray(0, 4096).toString('latin1'))
    ? splitMbox(input.bytes).map((m, i) => ({ name: `${input.name}#${i}`, bytes: m.bytes })) : [input]);
  const read = async (m: { name: string; bytes: Buffer }) => readInput(m.name, m.bytes).catch(() => [] as Patch[]);
  const parser = await cParser();
  const batch = async () => {
    const start = performance.now();
    for (let i = 0; i < 1000; i++) await lintPatches(await read(mails[i % mails.length]!));
    return performance.now() - start;
  };
  const floor = async () => {
    const start = performance.now();
    for (let i = 0; i < 1000; i++) {
      for (const patch of await read(mails[i % mails.length]!)) for (const file of patch.files) {
        if (file.status === 'binary' || file.status === 'deleted' || !isCSource(targetPath(file))) continue;
        for (const hunk of file.hunks) withTree(parser, buildFragment(hunkLines(hunk, 'new'), hunk.context).source, () => undefined);
      }
    }
    return performance.now() - start;
  };
  await batch(); // warm
  const b: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < 3; i++) { b.push(await batch()); f.push(await floor()); }
  return { work: '1,000-mail batch, warm, in-process', p2pcheck: ms(median(b)), peer: `parse of every C hunk, no rules: ${ms(median(f))}`,
    ratio: `${(median(b) / median(f)).toFixed(2)}x the parse floor`, target: '<= 1 s' };
}

/** An mbox of BIG_MBOX_MB megabytes made of corpus mails, plain and gzipped, in a temporary folder. */
async function bigMboxRows(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-bigmbox-'));
  try {
    const mails = ['wild', 'noise', 'labelled'].flatMap((f) => readdirSync(join(CORPUS, f)).filter((n) => n.endsWith('.patch')).sort()
      .map((n) => readFileSync(join(CORPUS, f, n)).toString('latin1')))
      .map((m) => Buffer.from(`From mboxrd@z Thu Jan  1 00:00:00 1970\n${m.replace(/^From \S+ .*\n/, '').replace(/^(>*From )/gm, '>$1')}${m.endsWith('\n') ? '' : '\n'}`, 'latin1'));
    const path = join(dir, 'big.mbox');
    const fd = openSync(path, 'w');
    let size = 0;
    let count = 0;
    for (let i = 0; size < BIG_MBOX_MB * 2 ** 20; i++, count++) size += writeSync(fd, mails[i % mails.length]!);
    closeSync(fd);
    const run = await runProcess(process.execPath, [CLI, '--fail-on', 'never', '--terse', path]);
    const rows: Row[] = [{
      work: `a ${Math.round(size / 2 ** 20)} MB mbox (${count} corpus mails)`,
      p2pcheck: `${ms(run.wallMs)}, RSS ${run.maxRssMb} MB, exit ${run.status}`,
      peer: 'before: a 324 MB mbox took 1.5 GB RSS, 600 MB+ failed (string length limit)', ratio: '', target: 'works, RSS < 400 MB',
    }];
    // lore's t.mbox.gz: a corpus series, gzipped, against the plain file
    const series = join(CORPUS, 'series', '2019-08-12-p2pdma-host-bridge-v3.mbox');
    const gz = join(dir, 't.mbox.gz');
    writeFileSync(gz, gzipSync(readFileSync(series)));
    const [zipped, plain] = await interleaved(['p2pcheck t.mbox.gz', process.execPath, [CLI, '--fail-on', 'never', '--terse', gz]],
      ['p2pcheck plain', process.execPath, [CLI, '--fail-on', 'never', '--terse', series]], 3);
    const same = spawnSync(process.execPath, [CLI, '--fail-on', 'never', '--terse', gz], { encoding: 'utf8' }).stdout.replaceAll(gz, 'X') ===
      spawnSync(process.execPath, [CLI, '--fail-on', 'never', '--terse', series], { encoding: 'utf8' }).stdout.replaceAll(series, 'X');
    rows.push({ work: "lore's t.mbox.gz (a corpus series, gzipped)", p2pcheck: both(zipped), peer: `the plain mbox: ${both(plain)}`,
      ratio: same ? 'same findings' : 'FINDINGS DIFFER', target: 'read directly' });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a bench script as a child and returns its JSON figures (bench-out/NAME.json). */
function child<T>(script: string, json: string): T | undefined {
  const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'test', 'bench', script)], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0 || !existsSync(join(OUT, json))) return undefined;
  return JSON.parse(readFileSync(join(OUT, json), 'utf8')) as T;
}

function treeRow(): Row {
  type Tree = { scans: { label: string; wallMs: number; vmHwmMb: number; skipped: number; files: number }[]; spatch: { label: string; found: boolean; wallMs?: number; reason?: string }[] };
  const tree = child<Tree>('tree-bench.js', 'tree-bench.json');
  const scan = tree?.scans[0];
  const spatch = tree?.spatch[0];
  if (!scan) return { work: 'drivers/ of linux-source-6.12, all rules, 2 cores', p2pcheck: 'not measured (see tree-bench output)', peer: '', ratio: '', target: 'faster than spatch' };
  return {
    work: 'drivers/ of linux-source-6.12, all rules, 2 cores',
    p2pcheck: `${ms(scan.wallMs)} (${scan.files - scan.skipped} of ${scan.files} files parsed, RSS ${scan.vmHwmMb} MB)`,
    peer: spatch?.found && spatch.wallMs !== undefined ? `spatch, one R2 semantic patch: ${ms(spatch.wallMs)}` : `spatch: ${spatch?.reason ?? 'not run'}`,
    ratio: spatch?.wallMs ? `${(scan.wallMs / spatch.wallMs).toFixed(2)}x spatch's time` : '',
    target: 'faster than spatch',
  };
}

function editorRow(): Row {
  const results = child<{ lines: number; medianMs: number; p90Ms: number }[]>('editor-bench.js', 'editor-bench.json');
  const r = results?.find((x) => x.lines === 500);
  return { work: 'editor, 500-line patch, text to diagnostics', p2pcheck: r ? `${r.medianMs} ms (p90 ${r.p90Ms} ms)` : 'not measured', peer: '', ratio: '', target: '<= 20 ms' };
}

function table(rows: Row[]): string {
  const cols: (keyof Row)[] = ['work', 'p2pcheck', 'peer', 'ratio', 'target'];
  const head: Row = { work: 'work', p2pcheck: 'p2pcheck', peer: 'peer', ratio: 'ratio', target: 'target' };
  const all = [head, ...rows];
  const width = cols.map((c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => cols.map((c, i) => r[c].padEnd(width[i]!)).join(' | ').trimEnd()).join('\n');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build`);
  const located = locateCheckpatch(OUT);
  const checkpatch = 'missing' in located ? undefined : located.script;
  if (!checkpatch && 'missing' in located) console.log(`bench: checkpatch.pl: ${located.missing}`);
  const rows: Row[] = [];
  const step = async (label: string, work: () => Promise<Row[] | Row> | Row[] | Row) => {
    console.log(`bench: ${label}...`);
    const got = await work();
    rows.push(...(Array.isArray(got) ? got : [got]));
  };
  await step('start-up rows', () => startupRows(checkpatch));
  await step('150 corpus mails', () => corpusRow(checkpatch));
  await step('1,000-mail batch', batchRow);
  if (!QUICK) await step('drivers/ (tree-bench)', treeRow);
  if (!QUICK) await step(`a ${BIG_MBOX_MB} MB mbox`, bigMboxRows);
  await step('editor (editor-bench)', editorRow);
  const load = (await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ');
  const text = [
    `issue 11 bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}, load average ${load} at the end`,
    `per-process rows: medians of ${RUNS} interleaved runs; "cpu" is the child's user + system time (less sensitive to other load than wall time)`,
    '',
    table(rows),
  ].join('\n');
  console.log(`\n${text}`);
  writeFileSync(join(OUT, 'issue-bench.txt'), `${text}\n`);
  writeFileSync(join(OUT, 'issue-bench.json'), `${JSON.stringify({ when: new Date().toISOString(), rows }, null, 2)}\n`);
}

await main();
