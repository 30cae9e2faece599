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

// issue 14 spec revision
test('the era evidence of kernel-era.ts agrees with the catalogue\'s versions (spec section A, 2026-12 revision)', async () => {
  const { INTRODUCED, REMOVED, formatVersion } = await import('../../src/analysis/kernel-era.js');
  for (const [id, v] of INTRODUCED) assert.equal(apiRow(id)?.since, formatVersion(v), `${id}: since`);
  for (const [id, v] of REMOVED) assert.equal(apiRow(id)?.until, formatVersion(v), `${id}: until`);
});

test('the revised timeline: 6.17-7.1 rows and the corrections of the 2026-12 spec revision', () => {
  const at = (name: string) => [apiRow(name)?.since, apiRow(name)?.until];
  assert.deepEqual(at('REQ_P2PDMA'), ['6.17', '6.19']);
  assert.match(apiRow('REQ_P2PDMA')!.note!, /bio flag .*6\.17 only; a request flag .*6\.18/);
  for (const n of ['BIP_P2P_DMA', 'blk_dma_unmap', 'blk_rq_integrity_dma_unmap']) assert.deepEqual(at(n), ['6.18', '6.19'], n);
  assert.deepEqual(at('pci_has_p2pmem'), ['4.20', '6.18']);
  assert.deepEqual(at('dma_buf_phys_vec'), ['6.19', '7.0']);
  assert.deepEqual(at('phys_vec'), ['7.0', undefined]);
  for (const n of ['rdma_rw_ctx_init_bvec', 'ib_dma_map_bvec', 'DMA_ATTR_REQUIRE_COHERENT', 'DMA_ATTR_DEBUGGING_IGNORE_CACHELINES']) assert.equal(apiRow(n)?.since, '7.0', n);
  assert.match(apiRow('blk_rq_dma_map_iter_next')!.note!, /\(req, dma_dev, iter\) from 7\.0/);
  assert.match(apiRow('blk_rq_dma_unmap')!.note!, /\(req, dev, state, len, map\) from 6\.19/);
  assert.match(apiRow('FOLL_LONGTERM')!.note!, /-EINVAL/);
  assert.deepEqual(at('DMA_F_PCI_P2PDMA_SUPPORTED'), ['6.0', '6.12']);
  assert.match(apiRow('pci_p2pdma_map_type')!.note!, /static/);
  assert.equal(apiRow('PCI_P2PDMA_MAP_NONE')?.since, '6.16', 'absent from 6.12 (checked)');
  for (const n of ['dma_buf_invalidate_mappings', 'dma_buf_attach_revocable', 'ib_umem_dmabuf_get_pinned_revocable_and_lock']) assert.equal(apiRow(n)?.since, '7.1', n);
  for (const n of ['dma_buf_move_notify', 'CONFIG_DMABUF_MOVE_NOTIFY']) assert.equal(apiRow(n)?.until, '7.1', n);
});

test('no fix, why or message text says FOLL_LONGTERM|FOLL_PCI_P2PDMA fails with -EOPNOTSUPP (it is -EINVAL since the 6.2 series)', () => {
  for (const file of readdirSync(rulesDir).filter((f) => /^r\d+-.*\.ts$/.test(f))) {
    const text = readFileSync(join(rulesDir, file), 'utf8');
    for (const line of text.split('\n')) if (/FOLL_LONGTERM/.test(line)) assert.doesNotMatch(line, /-EOPNOTSUPP/, `${file}: ${line.trim()}`);
  }
});
// end issue 14 spec revision
