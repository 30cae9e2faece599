import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Patch } from '../input/patch-model.js';
import type { Finding, Repair } from '../rules/rule.js';
import type { LintStats } from './lint-model.js';
import type { LintOptions, PatchEras } from './lint.js';

/**
 * The mail pool (issue 11): the mails of a big input checked across worker threads. The main
 * thread reads, splits and pre-filters the input as before, resolves each mail's era in input
 * order (resolveEras: the era memory of a series stays in one place, so a mail sees the evidence
 * of its series whichever worker checked the other mails), and hands the mail to the least busy
 * worker. Results come back in input order: a mail's result waits until every earlier one is in.
 * Memory stays bounded: at most WINDOW mails are out (sent, or done and waiting for an earlier
 * one), and `submit` waits for room, which holds the reading of the input back.
 */

export interface MailJob {
  seq: number;
  input: string;
  patches: Patch[];
  eras: PatchEras[];
}

export interface MailResult {
  seq: number;
  /** The input the mail came from. */
  input: string;
  findings: Finding[];
  repairs: Repair[];
  stats: LintStats;
  /** The check failed (one line). */
  error?: string;
}

/** What a worker is given once (workerData): the options of the run that travel (no tree, no memory). */
export interface MailWorkerSetup {
  lint: Pick<LintOptions, 'rules' | 'ignore' | 'kernelVersion' | 'preexisting'>;
}

/** Mails a worker holds at once: the next one is there when it finishes one. */
const IN_FLIGHT = 4;

interface PoolWorker {
  worker: Worker;
  inFlight: number;
}

export class MailPool {
  private readonly workers: PoolWorker[] = [];
  private readonly done = new Map<number, MailResult>();
  private readonly waiting: MailJob[] = [];
  private nextSeq = 0;
  /** The first mail whose result is not delivered yet. */
  private delivered = 0;
  private failure?: Error;
  private wake?: () => void;
  private readonly window: number;
  private started = 0;

  constructor(private readonly setup: MailWorkerSetup, private readonly deliver: (result: MailResult) => void, private readonly jobs = availableParallelism()) {
    this.jobs = Math.max(1, jobs);
    this.window = this.jobs * IN_FLIGHT * 2;
  }

  /** Mails sent so far. */
  get mails(): number { return this.nextSeq; }

  /** Worker threads started. */
  get workerCount(): number { return this.started; }

  /** Sends one mail to a worker; resolves once there is room for the next (backpressure). */
  async submit(input: string, patches: Patch[], eras: PatchEras[]): Promise<void> {
    this.throwIfFailed();
    this.waiting.push({ seq: this.nextSeq++, input, patches, eras });
    this.dispatch();
    while (!this.failure && (this.nextSeq - this.delivered >= this.window || this.waiting.length > 0)) await this.sleep();
    this.throwIfFailed();
  }

  /** Waits for every result, delivered in order. */
  async drain(): Promise<void> {
    while (!this.failure && this.delivered < this.nextSeq) await this.sleep();
    this.throwIfFailed();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers.length = 0;
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => { this.wake = resolve; });
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const worker = this.leastBusy();
      if (!worker) return;
      const job = this.waiting.shift()!;
      worker.inFlight++;
      worker.worker.postMessage(job);
    }
  }

  /** The worker with the fewest mails, a new one rather than a busy one, none when all are full. */
  private leastBusy(): PoolWorker | undefined {
    const least = this.workers.reduce<PoolWorker | undefined>((best, w) => (!best || w.inFlight < best.inFlight ? w : best), undefined);
    if (least?.inFlight === 0) return least;
    if (this.workers.length < this.jobs) return this.spawn();
    return least && least.inFlight < IN_FLIGHT ? least : undefined;
  }

  private spawn(): PoolWorker {
    const entry: PoolWorker = { worker: new Worker(new URL('./mail-worker.js', import.meta.url), { workerData: this.setup }), inFlight: 0 };
    entry.worker.on('message', (result: MailResult) => {
      entry.inFlight--;
      this.done.set(result.seq, result);
      while (this.done.has(this.delivered)) {
        const next = this.done.get(this.delivered)!;
        this.done.delete(this.delivered++);
        this.deliver(next);
      }
      this.dispatch();
      this.poke();
    });
    const fail = (e: Error) => { this.failure ??= e; this.poke(); };
    entry.worker.on('error', fail);
    entry.worker.on('exit', (code) => { if (entry.inFlight > 0) fail(new Error(`a mail worker exited with code ${code}`)); });
    this.workers.push(entry);
    this.started++;
    return entry;
  }
}
