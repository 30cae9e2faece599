import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_FAILURES, knownFailuresJson, runAll, survivalTable } from './harness.js';

/**
 * `npm run metamorphic:update`: records today's lost verdicts as the known failures.
 * `-- --dump DIR` also writes every variant (NAME.pass / NAME.fail, the findings' diff at the end).
 */
const dumpAt = process.argv.indexOf('--dump');
const dump = dumpAt >= 0 ? process.argv[dumpAt + 1] : undefined;
const { outcomes, brokenBaselines } = await runAll();
writeFileSync(KNOWN_FAILURES, knownFailuresJson(outcomes));
console.log(survivalTable(outcomes));
console.log(`${outcomes.filter((o) => o.status !== 'n/a').length} variants; ${outcomes.filter((o) => o.status === 'fail').length} known failures written to ${KNOWN_FAILURES}`);
if (brokenBaselines.length > 0) console.log(`rule cases that fail as written (skipped):\n  ${brokenBaselines.join('\n  ')}`);
if (dump) {
  mkdirSync(dump, { recursive: true });
  for (const o of outcomes) {
    if (!o.variant) continue;
    const name = `${o.caseKey.replace(/\//g, '__')}__${o.transform.replace(/[^\w-]/g, '_')}.${o.status}`;
    writeFileSync(join(dump, name), `${o.variant}${o.detail ? `\n/* ${o.detail} */\n` : ''}`);
  }
  console.log(`variants written to ${dump}`);
}
