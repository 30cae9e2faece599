import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Finding, Rule } from '../rules/rule.js';
import { newStats, type LintStats } from './lint-model.js';
import type { LintOptions } from './lint.js';
import { selectRuleIds, textFilter } from './prefilter.js';

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
  /** `tree` is not used: a C file is whole already, and nothing of it is kept. */
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
/**
 * The main thread reads synchronously (from the page cache, a sixth of the CPU time of
 * fs.promises.readFile) in slices of this length, then lets worker messages in.
 */
const READ_SLICE_MS = 10;
const RSS_SAMPLE_MS = 100;

export function scanFiles(paths: readonly string[], options: ScanOptions): Promise<ScanResult> {
  return new Scan(paths, options).run();
}

/**
 * The pre-filter: true when `text` is a candidate for a rule that applies to `path` (a trigger
 * and every `requires` group of the rule; core files only meet the rules that check core files).
 * Exact for lintPatches' own pre-filter, which tokenises with /[A-Za-z_]\w* /g.
 */
export function triggerFilter(rules: readonly Rule[]): (path: string, text: string) => boolean {
  return textFilter(rules.map((r) => r.meta.id));
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
  private readonly pool: PoolWorker[] = [];
  private nextPath = 0;
  private readScheduled = false;
  private readonly findings = new Map<number, Finding[]>();
  private readonly problems: { index: number; problem: ScanProblem }[] = [];
  private readonly stats: ScanStats = { files: 0, skipped: 0, parsed: 0, peakRssMb: 0, lint: newStats() };
  private done = 0;
  private findingCount = 0;
  private readonly started = performance.now();
  private sampler?: NodeJS.Timeout;
  private settled = false;
  private resolve!: (result: ScanResult) => void;
  private reject!: (error: unknown) => void;

  constructor(private readonly paths: readonly string[], private readonly options: ScanOptions) {
    this.filter = textFilter(selectRuleIds(options.lint));
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
    this.scheduleRead();
    this.finishWhenIdle(); // nothing to read
    return result;
  }

  private readonly onAbort = () => { void this.finish(true); };

  private scheduleRead(): void {
    if (this.readScheduled || this.settled || this.nextPath >= this.paths.length) return;
    this.readScheduled = true;
    setImmediate(() => {
      this.readScheduled = false;
      try {
        this.readSlice();
      } catch (e) {
        this.fail(e);
      }
    });
  }

  /** Reads and pre-filters files while the queue has room, for one slice of time. */
  private readSlice(): void {
    const until = performance.now() + READ_SLICE_MS;
    while (!this.settled && this.nextPath < this.paths.length && this.hasRoom() && performance.now() < until) {
      const job = this.load(this.nextPath++);
      if (job) this.enqueue(job);
      else this.fileDone();
    }
    this.dispatch();
    if (this.hasRoom()) this.scheduleRead();
    this.finishWhenIdle();
  }

  /** A job for a worker, or undefined when the file could not be read or the pre-filter drops it. */
  private load(index: number): ScanJob | undefined {
    const path = this.paths[index]!;
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
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

  private hasRoom(): boolean {
    return this.queue.length < QUEUE_FILES && this.queuedBytes < QUEUE_BYTES;
  }

  /** Hands batches to the least busy workers, starting workers up to `jobs` as work appears. */
  private dispatch(): void {
    while (!this.settled && this.queue.length > 0) {
      const worker = this.leastBusy();
      if (!worker) break;
      const batch = this.takeBatch();
      worker.inFlight++;
      worker.worker.postMessage(batch, batch.flatMap((j) => (j.bytes ? [j.bytes.buffer as ArrayBuffer] : [])));
    }
  }

  /** The worker with the fewest batches, a new one rather than a busy one, none when all are full. */
  private leastBusy(): PoolWorker | undefined {
    const least = this.pool.reduce<PoolWorker | undefined>((best, w) => (!best || w.inFlight < best.inFlight ? w : best), undefined);
    if (least?.inFlight === 0) return least;
    if (this.pool.length < this.jobs) return this.spawn();
    return least && least.inFlight < IN_FLIGHT ? least : undefined;
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
    if (this.settled) return;
    from.inFlight--;
    for (const r of results) this.record(r);
    this.dispatch();
    this.scheduleRead();
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

  /** Progress after every file: the reporter decides how often to show it. */
  private fileDone(): void {
    this.done++;
    if (!this.options.onProgress) return;
    const filesPerSecond = this.done / Math.max((performance.now() - this.started) / 1000, 1e-3);
    const left = this.paths.length - this.done;
    this.options.onProgress({ done: this.done, total: this.paths.length, findings: this.findingCount, filesPerSecond, etaSeconds: left / filesPerSecond });
  }

  private finishWhenIdle(): void {
    const idle = this.nextPath >= this.paths.length && this.queue.length === 0 && this.pool.every((w) => w.inFlight === 0);
    if (idle) void this.finish(false);
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
