import { parentPort, workerData } from 'node:worker_threads';
import { checkPatches, newEraMemory, newStats } from './lint.js';
import type { MailJob, MailResult, MailWorkerSetup } from './mail-pool.js';

/** A worker of the mail pool (mail-pool.ts): checks each mail it is sent, in order, with the eras the main thread resolved. */

const setup = workerData as MailWorkerSetup;
let pending = Promise.resolve();

parentPort?.on('message', (job: MailJob) => {
  pending = pending.then(async () => {
    const result: MailResult = { seq: job.seq, input: job.input, findings: [], repairs: [], stats: newStats() };
    try {
      const checked = await checkPatches(job.patches, { ...setup.lint, eraMemory: newEraMemory() }, result.stats, job.eras);
      result.findings = checked.findings;
      result.repairs = checked.repairs;
    } catch (e) {
      result.error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    }
    parentPort!.postMessage(result);
  });
});
