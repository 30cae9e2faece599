import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { isCoreFile } from '../analysis/core-files.js';
import type { Finding, Rule } from '../rules/rule.js';
import { newStats, selectRules, type LintOptions, type LintStats } from './lint.js';

/**
 * Lints a tree of C files on every core: the main thread reads each file and drops those that name
 * no trigger identifier of an enabled rule (as Coccinelle greps before it parses); worker threads,
 * each with its own WASM parser, lint the rest in small batches. Findings are those lintPatches
 * gives for each file read alone, in the order of `paths`.
 */

export interface ScanProgress {
  done: number;
  total: number;
  findings: number;
  filesPerSecond: number;
  etaSeconds: number;
}

export interface ScanOptions {
  lint: LintOptions;
  /** Worker threads (default: os.availableParallelism()). */
  jobs?: number;
  onProgress?: (progress: ScanProgress) => void;
  /** On abort the scan resolves with what was found so far, `aborted: true`. */
  signal?: AbortSignal;
  /** readInput's limit (--max-bytes); a larger file is a problem, whatever it holds. */
  maxBytes?: number;
  /** Parse every file and nothing else: no pre-filter, no rules (the benchmark's floor). */
  bare?: boolean;
  /** Hand the workers the bytes the pre-filter read (default), or the path to read again. */
  send?: 'bytes' | 'path';
}

export interface ScanProblem {
  input: string;
  message: string;
}

export interface ScanStats {
  files: number;
  /** Files the pre-filter dropped without parsing. */
  skipped: number;
  /** Files the workers parsed. */
  parsed: number;
  /** Highest resident set size of the process (all threads) sampled during the scan. */
  peakRssMb: number;
  /** lintPatches' statistics, summed over the files as a sequential run would count them. */
  lint: LintStats;
}

export interface ScanResult {
  findings: Finding[];
  problems: ScanProblem[];
  stats: ScanStats;
  aborted: boolean;
}

/** What the main thread sends a worker once, as workerData. */
export interface WorkerSetup {
  lint: Pick<LintOptions, 'rules' | 'ignore' | 'kernelVersion'>;
  bare: boolean;
  maxBytes?: number;
}

/** One file for a worker; `bytes` is transferred, not copied. */
export interface ScanJob {
  index: number;
  path: string;
  bytes?: Uint8Array;
}

export interface FileResult {
  index: number;
  findings: Finding[];
  problems: string[];
  parsed: boolean;
  stats: LintStats;
}

const BATCH_FILES = 8;
const BATCH_BYTES = 256 * 1024;
/** Batches a worker holds at once: the next one is there when it finishes a batch. */
const IN_FLIGHT = 2;
/** Read-ahead bound: texts waiting for a worker. */
const QUEUE_BYTES = 16 * 1024 * 1024;
const QUEUE_FILES = 128;
/** Concurrent reads of the main thread. */
const READERS = 4;
const PROGRESS_MS = 100;
const RSS_SAMPLE_MS = 100;

export function scanFiles(paths: readonly string[], options: ScanOptions): Promise<ScanResult> {
  return new Scan(paths, options).run();
}

/**
 * The pre-filter: true when `text` names, as an identifier, a trigger of a rule that applies to
 * `path` (core files only meet the rules that check core files). Exact for lintPatches' own
 * pre-filter, which tokenises with /[A-Za-z_]\w* /g.
 */
export function triggerFilter(rules: readonly Rule[]): (path: string, text: string) => boolean {
  const all = triggerPattern(rules);
  const core = triggerPattern(rules.filter((r) => r.meta.checksCoreFiles));
  return (path, text) => {
    const pattern = isCoreFile(path) ? core : all;
    return pattern !== undefined && namesIdentifier(pattern, text);
  };
}

function triggerPattern(rules: readonly Rule[]): RegExp | undefined {
  const ids = [...new Set(rules.flatMap((r) => r.meta.triggers))];
  if (ids.length === 0) return undefined;
  return new RegExp(`(?:${ids.map((id) => id.replace(/[^\w]/g, '\\$&')).join('|')})(?!\\w)`, 'g');
}

function namesIdentifier(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) if (startsIdentifier(text, m.index)) return true;
  return false;
}

/** Whether an identifier starts at `at`: no letter or _ in the word characters before it ("1ioremap" holds "ioremap"). */
function startsIdentifier(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    return !(c === 0x5f || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
  }
  return true;
}

/** A read error in one line, as the CLI words it. */
export function readProblem(path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory' };
  return `${path}: ${words[err.code ?? ''] ?? String(err.message ?? e).split('\n')[0]}`;
}

export function addStats(into: LintStats, from: LintStats): void {
  for (const key of Object.keys(into) as (keyof LintStats)[]) into[key] += from[key] ?? 0;
}

interface PoolWorker {
  worker: Worker;
  inFlight: number;
}

class Scan {
  private readonly filter: (path: string, text: string) => boolean;
  private readonly jobs: number;
  private readonly queue: ScanJob[] = [];
  private queuedBytes = 0;
  private readonly roomWaiters: (() => void)[] = [];
  private readonly pool: PoolWorker[] = [];
  private nextPath = 0;
  private readersLeft = READERS;
  private readonly findings = new Map<number, Finding[]>();
  private readonly problems: { index: number; problem: ScanProblem }[] = [];
  private readonly stats: ScanStats = { files: 0, skipped: 0, parsed: 0, peakRssMb: 0, lint: newStats() };
  private done = 0;
  private findingCount = 0;
  private readonly started = performance.now();
  private lastProgress = 0;
  private sampler?: NodeJS.Timeout;
  private settled = false;
  private resolve!: (result: ScanResult) => void;
  private reject!: (error: unknown) => void;

  constructor(private readonly paths: readonly string[], private readonly options: ScanOptions) {
    this.filter = triggerFilter(selectRules(options.lint));
    this.jobs = Math.max(1, options.jobs ?? availableParallelism());
    this.stats.files = paths.length;
  }

  run(): Promise<ScanResult> {
    const result = new Promise<ScanResult>((resolve, reject) => { this.resolve = resolve; this.reject = reject; });
    const { signal } = this.options;
    if (signal?.aborted) { void this.finish(true); return result; }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.sampler = setInterval(() => this.sampleRss(), RSS_SAMPLE_MS).unref();
    this.sampleRss();
    for (let i = 0; i < READERS; i++) this.read().catch((e: unknown) => this.fail(e));
    return result;
  }

  private readonly onAbort = () => { void this.finish(true); };

  /** One reader: takes the next path, waits for room in the queue, reads and pre-filters. */
  private async read(): Promise<void> {
    while (!this.settled && this.nextPath < this.paths.length) {
      const index = this.nextPath++;
      await this.room();
      if (this.settled) return;
      const job = await this.load(index);
      if (job) { this.enqueue(job); this.dispatch(); } else this.fileDone();
    }
    this.readersLeft--;
    this.finishWhenIdle();
  }

  /** A job for a worker, or undefined when the file was a problem or is skipped. */
  private async load(index: number): Promise<ScanJob | undefined> {
    const path = this.paths[index]!;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      this.problems.push({ index, problem: { input: path, message: readProblem(path, e) } });
      return undefined;
    }
    const tooLarge = this.options.maxBytes !== undefined && bytes.length > this.options.maxBytes;
    if (!this.options.bare && !tooLarge && !this.filter(path, bytes.toString('latin1'))) {
      this.stats.skipped++;
      addStats(this.stats.lint, { ...newStats(), patches: 1, files: 1, filesSkipped: 1 });
      return undefined;
    }
    return this.options.send === 'path' ? { index, path } : { index, path, bytes: ownBuffer(bytes) };
  }

  private enqueue(job: ScanJob): void {
    this.queue.push(job);
    this.queuedBytes += job.bytes?.byteLength ?? 0;
  }

  private async room(): Promise<void> {
    while (!this.settled && (this.queue.length >= QUEUE_FILES || this.queuedBytes >= QUEUE_BYTES)) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** Hands batches to every worker that has room, starting workers up to `jobs` as work appears. */
  private dispatch(): void {
    if (this.settled) return;
    while (this.queue.length > 0) {
      const idle = this.pool.find((w) => w.inFlight < IN_FLIGHT) ?? (this.pool.length < this.jobs ? this.spawn() : undefined);
      if (!idle) break;
      const batch = this.takeBatch();
      idle.inFlight++;
      idle.worker.postMessage(batch, batch.flatMap((j) => (j.bytes ? [j.bytes.buffer as ArrayBuffer] : [])));
    }
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  private takeBatch(): ScanJob[] {
    const batch: ScanJob[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && batch.length < BATCH_FILES && (batch.length === 0 || bytes < BATCH_BYTES)) {
      const job = this.queue.shift()!;
      bytes += job.bytes?.byteLength ?? 0;
      batch.push(job);
    }
    this.queuedBytes -= bytes;
    return batch;
  }

  private spawn(): PoolWorker {
    const { rules, ignore, kernelVersion } = this.options.lint;
    const workerData: WorkerSetup = { lint: { rules, ignore, kernelVersion }, bare: !!this.options.bare, maxBytes: this.options.maxBytes };
    const entry: PoolWorker = { worker: new Worker(new URL('./scan-worker.js', import.meta.url), { workerData }), inFlight: 0 };
    entry.worker.on('message', (results: FileResult[]) => this.received(entry, results));
    entry.worker.on('error', (e) => this.fail(e));
    entry.worker.on('exit', (code) => { if (!this.settled) this.fail(new Error(`a scan worker exited with code ${code}`)); });
    this.pool.push(entry);
    return entry;
  }

  private received(from: PoolWorker, results: readonly FileResult[]): void {
    from.inFlight--;
    for (const r of results) this.record(r);
    this.dispatch();
    this.finishWhenIdle();
  }

  private record(r: FileResult): void {
    if (r.findings.length) this.findings.set(r.index, r.findings);
    this.findingCount += r.findings.length;
    const input = this.paths[r.index]!;
    for (const message of r.problems) this.problems.push({ index: r.index, problem: { input, message } });
    if (r.parsed) this.stats.parsed++;
    addStats(this.stats.lint, r.stats);
    this.fileDone();
  }

  private fileDone(): void {
    this.done++;
    const now = performance.now();
    if (!this.options.onProgress || (now - this.lastProgress < PROGRESS_MS && this.done < this.paths.length)) return;
    this.lastProgress = now;
    const filesPerSecond = this.done / Math.max((now - this.started) / 1000, 1e-3);
    const left = this.paths.length - this.done;
    this.options.onProgress({ done: this.done, total: this.paths.length, findings: this.findingCount, filesPerSecond, etaSeconds: left / filesPerSecond });
  }

  private finishWhenIdle(): void {
    if (this.readersLeft === 0 && this.queue.length === 0 && this.pool.every((w) => w.inFlight === 0)) void this.finish(false);
  }

  private async finish(aborted: boolean): Promise<void> {
    if (this.settled) return;
    this.settle();
    await Promise.all(this.pool.map((w) => w.worker.terminate()));
    this.resolve({ findings: this.orderedFindings(), problems: this.orderedProblems(), stats: this.stats, aborted });
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.settle();
    void Promise.all(this.pool.map((w) => w.worker.terminate())).then(() => this.reject(error));
  }

  private settle(): void {
    this.settled = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    clearInterval(this.sampler);
    this.sampleRss();
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  private sampleRss(): void {
    this.stats.peakRssMb = Math.max(this.stats.peakRssMb, Math.round(process.memoryUsage.rss() / 2 ** 20));
  }

  private orderedFindings(): Finding[] {
    return [...this.findings.keys()].sort((a, b) => a - b).flatMap((i) => this.findings.get(i)!);
  }

  private orderedProblems(): ScanProblem[] {
    return this.problems.sort((a, b) => a.index - b.index).map((p) => p.problem);
  }
}

/** A buffer that owns its whole ArrayBuffer, so that it can be transferred. */
function ownBuffer(bytes: Buffer): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
