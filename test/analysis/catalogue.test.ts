import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CATALOGUE, apiRow, triggersOf } from '../../src/analysis/catalogue.js';
import { RULES } from '../../src/rules/index.js';

const rulesDir = join(process.cwd(), 'src', 'rules');

test('every identifier a rule names in its checks is in the API catalogue', () => {
  const missing: string[] = [];
  for (const file of readdirSync(rulesDir).filter((f) => /^r\d+-.*\.ts$/.test(f))) {
    // the metadata block is prose for people (fires-when bullets, examples), not an API list
    const code = readFileSync(join(rulesDir, file), 'utf8').replace(/\n {2}meta: \{[\s\S]*?\n {2}\},\n/, '\n');
    for (const m of code.matchAll(/'([A-Za-z_][A-Za-z0-9_]*)'/g)) {
      const id = m[1]!;
      if (id.includes('_') && !apiRow(id)) missing.push(`${file}: ${id}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every rule trigger is a catalogue identifier', () => {
  for (const rule of RULES) for (const t of rule.meta.triggers) assert.ok(apiRow(t), `${rule.meta.id}: trigger ${t} is not in the catalogue`);
});

test('the triggers of R2 are derived: every P2P/BAR source of the catalogue is one (pci_iomap_range included)', () => {
  const r2 = RULES.find((r) => r.meta.id === 'R2')!;
  const sources = CATALOGUE.filter((row) => row.roles.some((r) => r.role === 'source' && r.produces !== 'platform-mmio' && r.produces !== 'provider'));
  for (const s of sources) assert.ok(r2.meta.triggers.includes(s.name), `R2 misses ${s.name}`);
  assert.ok(r2.meta.triggers.includes('pci_iomap_range'));
  assert.deepEqual(r2.meta.triggers, triggersOf('R2', ['source', 'page-predicate', 'gup-flag', 'advertisement']));
  assert.ok(!r2.meta.triggers.includes('devm_platform_ioremap_resource'), 'platform MMIO is not a P2P source');
});

test('catalogue rows are unique and every role names its argument positions', () => {
  const names = CATALOGUE.map((r) => r.name);
  assert.equal(new Set(names).size, names.length);
  for (const row of CATALOGUE) for (const r of row.roles) {
    if (r.role === 'single-map-sink') assert.ok(Number.isInteger(r.memory), row.name);
    if (r.role === 'writer') assert.ok(Number.isInteger(r.target) && Number.isInteger(r.from), row.name);
  }
});
