import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkPatches } from '../../src/engine/lint.js';
import { readInput } from '../../src/input/read-input.js';
import { RULES } from '../../src/rules/index.js';
import { LABELLED } from '../helpers/paths.js';

/**
 * A labelled repair is the forward patch of a reversed intro case: every rule the reversed file
 * expects must come out of the forward patch as a repair, and not as a finding.
 */
interface Case { file: string; kind: string; expect: { rule: string }[]; reversed_from?: string }

const cases = JSON.parse(readFileSync(join(LABELLED, 'labels.json'), 'utf8')) as Case[];
const implemented = new Set(RULES.map((r) => r.meta.id));
const repairsExpected = cases.filter((c) => c.reversed_from && c.expect.length > 0);

describe('repairs in the labelled corpus', () => {
  test('the corpus has repair cases to check', () => assert.ok(repairsExpected.length >= 7));
  for (const reversed of repairsExpected) {
    const forward = reversed.reversed_from!;
    const rules = [...new Set(reversed.expect.map((e) => e.rule).filter((r) => implemented.has(r)))];
    test(`${forward} repairs ${rules.join(', ') || '(no implemented rule)'}`, async () => {
      const path = join(LABELLED, forward);
      const { findings, repairs } = await checkPatches(await readInput(path, readFileSync(path)));
      for (const rule of rules) {
        assert.ok(repairs.some((r) => r.rule === rule), `${forward}: no ${rule} repair among ${repairs.map((r) => r.message).join(' | ')}`);
        assert.ok(!findings.some((f) => f.rule === rule && f.severity !== 'info'), `${forward}: ${rule} reported as a finding`);
      }
      for (const r of repairs) {
        assert.match(r.message, new RegExp(`^repairs ${r.rule} in `));
        assert.ok(r.line > 0 && r.oldLine > 0);
      }
    });
  }
});
