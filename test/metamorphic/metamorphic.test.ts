import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outcomeKey, readKnownFailures, runAll, survivalTable } from './harness.js';

/**
 * Every rule case, rewritten by every metamorphic transformation, must keep its verdict: the
 * findings of its rule stay exactly on the (moved) annotated lines. Losses already recorded in
 * known-failures.json are reported, not failed; a new loss is a regression.
 */
test('metamorphic variants of the rule cases keep their verdict', async () => {
  const { outcomes, brokenBaselines } = await runAll();
  const known = readKnownFailures();
  const applicable = outcomes.filter((o) => o.status !== 'n/a');
  const lines = [
    'metamorphic survival (survived/applicable; - = the transformation applies to no case of the rule):',
    survivalTable(outcomes),
    `${applicable.length} variants, ${applicable.filter((o) => o.status === 'pass').length} keep their verdict, ${outcomes.filter((o) => o.refused > 0).length} with a rewrite dropped for new ERROR nodes`,
  ];
  const fixed = outcomes.filter((o) => o.status === 'pass' && known.has(outcomeKey(o.caseKey, o.transform)));
  if (fixed.length > 0) lines.push(`known failures that now pass (run npm run metamorphic:update to shrink the list):\n  ${fixed.map((o) => outcomeKey(o.caseKey, o.transform)).join('\n  ')}`);
  const stale = [...known.keys()].filter((k) => !outcomes.some((o) => outcomeKey(o.caseKey, o.transform) === k && o.status !== 'n/a'));
  if (stale.length > 0) lines.push(`known failures that no longer apply:\n  ${stale.join('\n  ')}`);
  if (brokenBaselines.length > 0) lines.push(`rule cases that fail as written (their variants are skipped):\n  ${brokenBaselines.join('\n  ')}`);
  console.log(lines.join('\n'));
  const regressions = outcomes.filter((o) => o.status === 'fail' && !known.has(outcomeKey(o.caseKey, o.transform)));
  assert.deepEqual(regressions.map((o) => `${outcomeKey(o.caseKey, o.transform)}: ${o.detail}`), [], `variants that lost their verdict:\n${regressions.map((o) => `--- ${outcomeKey(o.caseKey, o.transform)}: ${o.detail}\n${o.variant}`).join('\n')}`);
});
