import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkPatches, lintPatches, newStats, selectRules } from '../../src/engine/lint.js';
import { mayReport, selectRuleIds, textFilter } from '../../src/engine/prefilter.js';
import { readInput } from '../../src/input/read-input.js';
import type { Patch } from '../../src/input/patch-model.js';
import { RULES } from '../../src/rules/index.js';
import type { Finding } from '../../src/rules/rule.js';
import { RULE_IDS, RULE_TOKENS } from '../../src/rules/rule-tokens.js';
import { CORPUS, projectPath } from '../helpers/paths.js';

/**
 * The pre-filter decides before the rules are loaded, from rule-tokens.ts: it must agree with the
 * rules' own metadata, and the token groups must never cost a finding.
 */

const FOLDERS = ['labelled', 'noise', 'wild', 'series'];
const corpusFiles = FOLDERS.flatMap((folder) =>
  readdirSync(join(CORPUS, folder)).filter((n) => /\.(patch|mbox)$/.test(n)).sort().map((n) => join(CORPUS, folder, n)));
const ruleCases = readdirSync(projectPath('test', 'rules'), { withFileTypes: true }).filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(projectPath('test', 'rules', d.name, 'cases')).sort().map((n) => projectPath('test', 'rules', d.name, 'cases', n)));

async function patchesOf(path: string): Promise<Patch[]> {
  return readInput(path, readFileSync(path));
}

const show = (f: Finding) => `${f.rule} ${f.path}:${f.line} ${f.message}`;

describe('rule-tokens.ts', () => {
  test('holds every rule of the catalogue, in order, with its slug, triggers and core-file scope', () => {
    assert.deepEqual(RULE_IDS, RULES.map((r) => r.meta.id));
    for (const rule of RULES) {
      const tokens = RULE_TOKENS[rule.meta.id]!;
      assert.equal(tokens.slug, rule.meta.slug, rule.meta.id);
      assert.deepEqual(tokens.triggers, rule.meta.triggers, `${rule.meta.id}: update its triggers in rule-tokens.ts`);
      assert.equal(!!tokens.checksCoreFiles, !!rule.meta.checksCoreFiles, rule.meta.id);
      assert.equal(rule.meta.requires, tokens.requires, `${rule.meta.id}: meta.requires comes from rule-tokens.ts`);
      assert.equal(rule.meta.requiresExempt, tokens.requiresExempt, rule.meta.id);
      for (const group of tokens.requires ?? []) assert.ok(group.length > 0, `${rule.meta.id}: an empty group can never hold`);
    }
    assert.ok(RULES.some((r) => (r.meta.requires ?? []).length > 0), 'some rule has token groups');
  });

  test('selectRuleIds selects as selectRules does', () => {
    for (const options of [{}, { rules: ['R2', 'p2p-custom-dma-ops'] }, { ignore: ['r1', 'R13'] }, { rules: ['R9'], ignore: ['R9'] }]) {
      assert.deepEqual(selectRuleIds(options), selectRules(options).map((r) => r.meta.id));
    }
    assert.deepEqual(selectRuleIds({ rules: ['R2', 'p2p-custom-dma-ops'] }), ['R2', 'R3']);
    assert.deepEqual(selectRuleIds({ ignore: ['r1', 'p2p-unmap-mismatch'] }).slice(0, 4), ['R2', 'R3', 'R4', 'R5']);
  });
});

describe('the token groups (requires) never cost a finding', () => {
  test('the corpus and every rule case: the same findings with and without the groups', async () => {
    const saved = RULES.map((r) => r.meta.requires);
    let compared = 0;
    let skippedMore = 0;
    for (const path of [...corpusFiles, ...ruleCases]) {
      let withGroups: string[];
      let without: string[];
      const statsWith = newStats();
      const statsWithout = newStats();
      try {
        withGroups = (await lintPatches(await patchesOf(path), {}, statsWith)).map(show);
        for (const r of RULES) r.meta.requires = undefined;
        without = (await lintPatches(await patchesOf(path), {}, statsWithout)).map(show);
      } catch {
        continue; // an input the readers refuse (tested elsewhere)
      } finally {
        RULES.forEach((r, i) => { r.meta.requires = saved[i]; });
      }
      assert.deepEqual(withGroups, without, path);
      compared++;
      skippedMore += statsWith.filesSkipped - statsWithout.filesSkipped;
    }
    assert.ok(compared > 400, `${compared} inputs compared`);
    assert.ok(skippedMore > 0, 'the groups drop files the triggers alone let through');
  });
});

describe('mayReport: the CLI skips the engine only when it would report nothing', () => {
  test('every corpus input: nothing found, forward or reversed, where mayReport says nothing may be', async () => {
    let dropped = 0;
    for (const path of corpusFiles) {
      const patches = await patchesOf(path).catch(() => undefined);
      if (!patches) continue;
      for (const patch of patches) {
        const checked = await checkPatches([patch]);
        const may = mayReport([patch], selectRuleIds({}));
        if (!may) {
          dropped++;
          assert.deepEqual([...checked.findings.map(show), ...checked.repairs.map((r) => r.message)], [], `${path} mail ${patch.mailIndex}`);
        }
      }
    }
    assert.ok(dropped > 100, `${dropped} mails dropped by the pre-filter`);
  });

  test('no rule selected: nothing may report', async () => {
    assert.equal(mayReport(await patchesOf(join(CORPUS, 'labelled', '01-rdma-rw-fix-error-flow.patch')), []), false);
  });
});

describe('textFilter: the directory scan\'s pre-filter on raw text agrees with lintPatches', () => {
  test('every C rule case: a candidate exactly when lintPatches parses it', async () => {
    const ids = selectRuleIds({});
    const filter = textFilter(ids);
    let checked = 0;
    for (const path of ruleCases.filter((p) => p.endsWith('.c'))) {
      const bytes = readFileSync(path);
      const stats = newStats();
      await lintPatches(await readInput(path, bytes), {}, stats);
      assert.equal(filter(path, bytes.toString('latin1')), stats.filesSkipped === 0, path);
      checked++;
    }
    assert.ok(checked > 40, `${checked} C cases`);
  });

  test('a trigger alone is not enough for a rule with groups; a trigger and a group member are', () => {
    const r2 = textFilter(['R2']);
    assert.equal(r2('drivers/x.c', 'p = ioremap(a, b);'), false, 'R2 reports mapping calls: none here');
    assert.equal(r2('drivers/x.c', 'p = ioremap(a, b);\nd = dma_map_single(dev, p, n, dir);'), true);
    assert.equal(r2('drivers/x.c', 'd = dma_map_single(dev, p, n, dir);'), false, 'no trigger');
    assert.equal(r2('drivers/x.c', 'p = ioremap(a, b);\nd = my_dma_map_single(dev, p, n, dir);'), false, 'not inside a longer identifier');
  });

  test('a path where the groups do not apply: devm_kfree() alone counts for R13 in the p2pdma core only', () => {
    const r13 = textFilter(['R13']);
    assert.equal(r13('drivers/pci/p2pdma.c', 'devm_kfree(&pdev->dev, pgmap);'), true);
    assert.equal(r13('drivers/gpu/x.c', 'devm_kfree(&pdev->dev, pgmap);'), false);
    assert.equal(r13('drivers/gpu/x.c', 'buf = pci_alloc_p2pmem(pdev, len);'), true);
  });
});
