import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCoreFile, isProviderCore } from '../../src/analysis/core-files.js';
import { isCoreIteratorCopy } from '../../src/analysis/core-iterator.js';
import { RULES } from '../../src/rules/index.js';

/**
 * Global false-positive trap 1 (core implementations) and trap 8 (the provider core), as the spec
 * gives them: the exempt files are exactly the named ones, and each rule's metadata says whether
 * it still applies to changed lines there.
 */
describe('core implementations (global traps 1 and 8)', () => {
  test('the exempt files are exactly the spec\'s list', () => {
    const named = [
      'kernel/dma/mapping.c', 'kernel/dma/direct.c', 'kernel/dma/swiotlb.c', 'drivers/iommu/dma-iommu.c', 'drivers/iommu/iommu.c',
      'drivers/pci/p2pdma.c',
      ...['pci-p2pdma', 'dma-mapping', 'dma-map-ops', 'scatterlist', 'memremap', 'blk-mq-dma', 'bio-integrity', 'blk-integrity']
        .map((h) => `include/linux/${h}.h`),
      'block/blk-mq-dma.c', 'block/bio.c', 'block/bio-integrity.c', 'block/blk-integrity.c', 'block/blk-merge.c', 'block/blk-map.c',
      'drivers/dma-buf/dma-buf.c', 'drivers/dma-buf/dma-buf-mapping.c', 'mm/gup.c', 'mm/hmm.c', 'mm/memremap.c',
    ];
    for (const p of named) assert.ok(isCoreFile(p), p);
    for (const p of named) assert.ok(isCoreFile(`/work/linux-6.12/${p}`), `absolute ${p}`);
    const others = [
      'block/blk-settings.c', 'block/blk-crypto-fallback.c', 'block/bio-integrity-auto.c', 'block/t10-pi.c', 'include/linux/blkdev.h',
      'include/linux/bio.h', 'drivers/iommu/intel/iommu.c', 'drivers/pci/pci.c', 'drivers/dma-buf/udmabuf.c', 'mm/memory.c',
      'drivers/nvme/host/pci.c', 'drivers/dma-buf/dma-buf-mappingx.c', 'xblock/bio.c',
    ];
    for (const p of others) assert.ok(!isCoreFile(p), p);
  });

  test('the rules that still apply to changed lines in core files are the spec\'s (R6, R7, R11, R12, R13, R14, R16, R19)', () => {
    const applying = RULES.filter((r) => r.meta.checksCoreFiles).map((r) => r.meta.id);
    assert.deepEqual(applying, ['R6', 'R7', 'R11', 'R12', 'R13', 'R14', 'R16', 'R19']);
  });

  test('the provider core of trap 8 is drivers/pci/p2pdma.c', () => {
    assert.ok(isProviderCore('drivers/pci/p2pdma.c'));
    assert.ok(isProviderCore('/work/linux-6.12/drivers/pci/p2pdma.c'));
    assert.ok(!isProviderCore('drivers/pci/pci.c'));
  });
});

describe('copies of the block-core iterators (trap 1, criteria a-d)', () => {
  type Copy = Parameters<typeof isCoreIteratorCopy>[1];
  const call = (name: string) => ({ name }) as unknown as Copy['calls'][number];
  const local = { lhs: 'bv.bv_len', lhsExpr: { text: 'bv.bv_len' }, op: '+=', rhs: { kind: 'path', paths: ['next.bv_len'] } };
  const copy = {
    name: 'demo_integrity_segments',
    calls: ['mp_bvec_iter_bvec', 'bvec_iter_advance', 'biovec_phys_mergeable'].map(call),
    assignments: [local],
  } as unknown as Copy;

  test('(a)-(d) hold: a copy under block/ or in a block header', () => {
    assert.ok(isCoreIteratorCopy('block/blk-integrity-dma.c', copy));
    assert.ok(isCoreIteratorCopy('include/linux/blk-integrity.h', copy));
  });

  test('(b) holds through an iterator over bvecs already in a bio or payload (bip_for_each_vec, rq_for_each_bvec)', () => {
    for (const name of ['bip_for_each_vec', 'rq_for_each_bvec']) {
      const merge = { ...call('biovec_phys_mergeable'), loops: [{ name }] } as unknown as Copy['calls'][number];
      assert.ok(isCoreIteratorCopy('block/blk-demo.c', { ...copy, calls: [merge] }), name);
    }
  });

  test('(a) fails: the same code in a driver is not core code', () => {
    assert.ok(!isCoreIteratorCopy('drivers/nvme/host/pci.c', copy));
  });

  test('(b) fails: no walk over bvecs already in a bio, and not named like the family', () => {
    assert.ok(!isCoreIteratorCopy('block/blk-demo.c', { ...copy, calls: [call('biovec_phys_mergeable')] }));
    assert.ok(isCoreIteratorCopy('block/blk-demo.c', { ...copy, name: 'blk_rq_demo_map_iter_next', calls: [call('biovec_phys_mergeable')] }));
  });

  test('(c) fails: it writes a bio\'s vector or flags (bio construction)', () => {
    const writes = { lhs: 'bio.bi_io_vec', lhsExpr: { text: 'bio->bi_io_vec[bio->bi_vcnt - 1]' }, op: '=', rhs: { kind: 'path', paths: ['bv'] } };
    const opf = { lhs: 'bio.bi_opf', lhsExpr: { text: 'bio->bi_opf' }, op: '|=', rhs: { kind: 'path', paths: ['REQ_NOMERGE'] } };
    for (const w of [writes, opf]) assert.ok(!isCoreIteratorCopy('block/blk-demo.c', { ...copy, assignments: [local, w] } as typeof copy));
  });

  test('(d) fails: no biovec_phys_mergeable() merge step followed by length arithmetic', () => {
    assert.ok(!isCoreIteratorCopy('block/blk-demo.c', { ...copy, calls: copy.calls.filter((c) => c.name !== 'biovec_phys_mergeable') }));
    assert.ok(!isCoreIteratorCopy('block/blk-demo.c', { ...copy, assignments: [] }));
  });
});
