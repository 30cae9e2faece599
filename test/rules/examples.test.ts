import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseVersion } from '../../src/analysis/kernel-era.js';
import { RULES } from '../../src/rules/index.js';
import { lintBytes } from '../helpers/lint.js';

/** The examples --explain and the README show: the firing one fires, the quiet one does not. */
describe('rule examples', () => {
  for (const rule of RULES) {
    test(`${rule.meta.id}: an example that fires and one that does not`, async () => {
      const { examples } = rule.meta;
      assert.ok(examples, `${rule.meta.id} has no examples`);
      const asFile = (code: string) => `void example(void)\n{\n${code.split('\n').map((l) => `\t${l}`).join('\n')}\n}\n`;
      const path = examples.path ?? 'drivers/misc/example.c';
      // an example may name its target: `kernel-version: 7.0` in a comment
      const given = (code: string) => { const v = /kernel-version:\s*([\d.]+)/.exec(code)?.[1]; return v ? { kernelVersion: parseVersion(v) } : {}; };
      const fires = await lintBytes(path, asFile(examples.fires), { rules: [rule.meta.id], ...given(examples.fires) });
      const quiet = await lintBytes(path, asFile(examples.quiet), { rules: [rule.meta.id], ...given(examples.quiet) });
      assert.ok(fires.length > 0, `${rule.meta.id}: the firing example gives no finding`);
      assert.deepEqual(quiet.map((f) => f.message), [], `${rule.meta.id}: the quiet example fires`);
    });
  }
});
