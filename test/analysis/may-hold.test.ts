import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseVersion } from '../../src/analysis/kernel-era.js';
import { shortCuts } from '../../src/analysis/value-flow.js';
import { lintPatches } from '../../src/engine/lint.js';
import { readInput } from '../../src/input/read-input.js';

/**
 * may-hold.ts lets the value-flow engine skip expressions that can never hold a value; it must
 * change only the speed. Every rule case (each at its own kernel-version) and every labelled and
 * wild corpus mail (at the default era and at 7.1) is checked with the short cut and without it,
 * and the findings must be the same, message for message.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

function files(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (keep(e.name)) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out.sort();
}

async function findings(inputs: readonly { path: string; kernelVersion?: number }[]): Promise<string[]> {
  const out: string[] = [];
  for (const { path, kernelVersion } of inputs) {
    const patches = await readInput(path, readFileSync(path)).catch(() => []);
    for (const f of await lintPatches(patches, { kernelVersion })) out.push(`${path} ${f.rule} ${f.path}:${f.line}:${f.column} ${f.severity} ${f.message}`);
  }
  return out;
}

test('may-hold changes no finding: rule cases and corpus, with and without the short cut', async () => {
  const cases = files(join(ROOT, 'test', 'rules'), (n) => /\.(c|patch)$/.test(n)).map((path) => {
    const version = /kernel-version:\s*([\d.]+)/.exec(readFileSync(path, 'utf8'))?.[1];
    return { path, kernelVersion: version ? parseVersion(version) : undefined };
  });
  const mails = ['labelled', 'wild'].flatMap((d) => files(join(CORPUS, d), (n) => n.endsWith('.patch')))
    .flatMap((path) => [{ path }, { path, kernelVersion: parseVersion('7.1') }]);
  const inputs = [...cases, ...mails];
  assert.ok(cases.length > 200, `only ${cases.length} rule cases`);
  const withShortCut = await findings(inputs);
  shortCuts.mayHold = false;
  try {
    const without = await findings(inputs);
    assert.ok(without.length > 300, `only ${without.length} findings to compare`);
    assert.deepEqual(withShortCut, without);
  } finally {
    shortCuts.mayHold = true;
  }
});
