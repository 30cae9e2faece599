import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseVersion } from '../../src/analysis/kernel-era.js';
import { lintPatches } from '../../src/engine/lint.js';
import { readInput } from '../../src/input/read-input.js';
import { RULES } from '../../src/rules/index.js';
import { projectPath } from '../helpers/paths.js';

/**
 * Global trap 8: the P2PDMA provider core is not a driver. Every rule case that touches
 * drivers/pci/p2pdma.c is linted with every rule: what is reported there comes only from the rules
 * that still apply to core files, and carries the core's own contract (refcount balance, devm
 * pairing, R13, an info design note), never a driver-facing message.
 */
const DRIVER_FACING = /bypass|use the sysfs|from a driver|driver mmaps?|outside a map_sg implementation/i;
const CORE_RULES = new Set(RULES.filter((r) => r.meta.checksCoreFiles).map((r) => r.meta.id));

const cases = readdirSync(projectPath('test', 'rules'), { withFileTypes: true }).filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(projectPath('test', 'rules', d.name, 'cases')).map((n) => projectPath('test', 'rules', d.name, 'cases', n)))
  .filter((p) => /\.patch$/.test(p) && readFileSync(p, 'utf8').includes('b/drivers/pci/p2pdma.c'))
  .sort();

test('the rule cases hold provider-core patches', () => assert.ok(cases.length >= 8, `${cases.length} cases`));

for (const path of cases) {
  test(`provider core (trap 8): ${path.slice(path.indexOf('rules/'))}`, async () => {
    const bytes = readFileSync(path);
    const version = /kernel-version:\s*([\d.]+)/.exec(bytes.toString('utf8'))?.[1];
    const findings = (await lintPatches(await readInput(path, bytes), { kernelVersion: version ? parseVersion(version) : undefined }))
      .filter((f) => f.path === 'drivers/pci/p2pdma.c');
    for (const f of findings) {
      assert.ok(CORE_RULES.has(f.rule), `${f.rule} at ${f.line} does not apply in core files: ${f.message}`);
      assert.doesNotMatch(f.message, DRIVER_FACING, `${f.rule} at ${f.line}`);
      if (f.rule === 'R14' && f.severity !== 'info') assert.match(f.message, /not dropped|percpu|refcount|reference/i, `R14 at ${f.line}: only the imbalance check`);
    }
  });
}
