import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { cParser, withTree } from '../c-parse/c-parser.js';
import { InputError, readInput } from '../input/read-input.js';
import { lintPatches, newStats } from './lint.js';
import { readProblem, type FileResult, type ScanJob, type WorkerSetup } from './parallel-scan.js';

/** A worker of scanFiles: lints (or only parses) the files of each batch it is sent, in order. */

const setup = workerData as WorkerSetup;
let pending = Promise.resolve();

parentPort?.on('message', (batch: ScanJob[]) => {
  pending = pending.then(async () => {
    const results: FileResult[] = [];
    for (const job of batch) results.push(await runJob(job));
    parentPort!.postMessage(results);
  });
});

async function runJob(job: ScanJob): Promise<FileResult> {
  const result: FileResult = { index: job.index, findings: [], problems: [], parsed: false, stats: newStats() };
  let bytes: Buffer;
  try {
    bytes = job.bytes ? Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength) : await readFile(job.path);
  } catch (e) {
    result.problems.push(readProblem(job.path, e));
    return result;
  }
  try {
    if (setup.bare) {
      result.parsed = await parseOnly(bytes);
      return result;
    }
    const patches = await readInput(job.path, bytes, { maxBytes: setup.maxBytes });
    for (const p of patches) for (const problem of p.problems) result.problems.push(`${job.path}: ${problem}`);
    result.findings = await lintPatches(patches, setup.lint, result.stats);
    result.parsed = result.stats.files > result.stats.filesSkipped;
  } catch (e) {
    result.problems.push(e instanceof InputError ? e.message : `${job.path}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
  return result;
}

async function parseOnly(bytes: Buffer): Promise<boolean> {
  const parser = await cParser();
  withTree(parser, bytes.toString('utf8'), () => undefined);
  return true;
}
