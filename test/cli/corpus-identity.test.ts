import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkPatches, newEraMemory } from '../../src/engine/lint.js';
import { InputError, readInput } from '../../src/input/read-input.js';
import type { Finding, Repair } from '../../src/rules/rule.js';
import { CORPUS } from '../helpers/paths.js';
import { cli } from './run-cli.js';

/**
 * The CLI streams its inputs, pre-filters before it loads the engine, and reads plain mails
 * without the mail library: on every folder of the corpus it must report exactly what the
 * engine gives for each input read whole (the path of the CLI before streaming), errors included.
 */
const FOLDERS = ['labelled', 'noise', 'wild', 'series'];

async function whole(folder: string): Promise<{ findings: Finding[]; repairs: Repair[]; errors: string[] }> {
  const out = { findings: [] as Finding[], repairs: [] as Repair[], errors: [] as string[] };
  const dir = join(CORPUS, folder);
  // one run reads its inputs as one series memory (a cover letter's base reaches its patches), as the CLI does
  const eraMemory = newEraMemory();
  for (const name of readdirSync(dir).sort((a, b) => a.localeCompare(b))) {
    if (!/\.(patch|diff|mbox|mbx|eml|mail|c|h)$/.test(name)) continue;
    const path = join(dir, name);
    try {
      const patches = await readInput(path, readFileSync(path));
      out.errors.push(...patches.flatMap((p) => p.problems.map((problem) => `${path}: ${problem}`)));
      const checked = await checkPatches(patches, { eraMemory });
      out.findings.push(...checked.findings);
      out.repairs.push(...checked.repairs);
    } catch (e) {
      out.errors.push(e instanceof InputError ? e.message : String(e));
    }
  }
  return out;
}

describe('the CLI reports on the corpus what the engine gives for each input read whole', () => {
  for (const folder of FOLDERS) {
    test(folder, { timeout: 300_000 }, async () => {
      const run = await cli(['--format', 'json', '--fail-on', 'never', join(CORPUS, folder)]);
      const json = JSON.parse(run.stdout) as { findings: Finding[]; repairs: Repair[]; errors: { input: string; message: string }[] };
      const expected = await whole(folder);
      assert.ok(expected.findings.length + expected.repairs.length > 0 || folder === 'noise', `${folder}: something to compare`);
      assert.deepEqual(json.findings, JSON.parse(JSON.stringify(expected.findings)));
      assert.deepEqual(json.repairs, JSON.parse(JSON.stringify(expected.repairs)));
      assert.deepEqual(json.errors.map((e) => e.message), expected.errors);
    });
  }
});
