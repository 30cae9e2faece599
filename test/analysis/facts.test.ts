import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Expr } from '../../src/analysis/facts.js';
import { analyseFile } from '../../src/analysis/file-analysis.js';
import { inferEra, describeEra, isBefore, mayBeAtLeast, parseVersion } from '../../src/analysis/kernel-era.js';
import { cParser } from '../../src/c-parse/c-parser.js';
import { braceBalance, buildFragment } from '../../src/c-parse/fragment.js';
import type { DiffLine } from '../../src/input/patch-model.js';
import { readInput } from '../../src/input/read-input.js';

const lines = (texts: string[]): DiffLine[] => texts.map((text, i) => ({ kind: '+', text, patchLine: i + 1, newLine: 100 + i }));

async function factsOf(name: string, text: string) {
  const [patch] = await readInput(name, Buffer.from(text));
  const file = patch!.files[0]!;
  return analyseFile(await cParser(), patch!, file, file.newPath);
}

describe('hunk fragments', () => {
  test('brace balance ignores braces in strings, characters and comments', () => {
    assert.deepEqual(braceBalance(['	}', '	x = "{";', "	c = '}'; /* { */", '}', 'int f(void) {']), { min: -2, end: -1, minIndent: 0 });
  });

  test('a hunk that starts two blocks deep is wrapped in its function and one more block', () => {
    const fragment = buildFragment(lines(['		return -EINVAL;', '	}', '', '	ret = map(dev, sg);']), 'int rdma_rw_ctx_signature_init(struct rdma_rw_ctx *ctx,');
    assert.equal(fragment.source.split('\n')[0], 'void rdma_rw_ctx_signature_init(struct rdma_rw_ctx *ctx) { {');
    assert.equal(fragment.enclosingFunction, 'rdma_rw_ctx_signature_init');
    assert.equal(fragment.rows[1]?.newLine, 100);
  });

  test('a hunk inside a struct initializer is wrapped in the initializer', () => {
    const fragment = buildFragment(lines(['	.map_sg = foo_map_sg,', '};']), 'static const struct dma_map_ops foo_ops = {');
    assert.match(fragment.source, /^static const struct dma_map_ops foo_ops = \{/);
    assert.equal(fragment.enclosingFunction, undefined);
  });
});

describe('facts', () => {
  test('an iterator macro with a block is a loop, and its body calls know it', async () => {
    const a = await factsOf('f.c', 'void f(struct sg_table *sgt)\n{\n\tfor_each_sgtable_sg(sgt, sg, i) {\n\t\tdma_map_page(dev, sg_page(sg), 0, 1, 2);\n\t}\n\tdone(sgt);\n}\n');
    const fn = a.post.functions.find((f) => f.name === 'f')!;
    const map = fn.calls.find((c) => c.name === 'dma_map_page')!;
    assert.deepEqual(map.loops.map((l) => l.name), ['for_each_sgtable_sg']);
    assert.equal(fn.calls.find((c) => c.name === 'done')!.loops.length, 0);
  });

  test('an iterator macro with a single statement (merged by the parser) is a loop too', async () => {
    const a = await factsOf('f.c', 'void f(void)\n{\n\tfor_each_sg(sgl, sg, n, i)\n\t\tx = dma_map_page(dev, sg_page(sg), 0, 1, 2);\n}\n');
    const map = a.post.functions[0]!.calls.find((c) => c.name === 'dma_map_page')!;
    assert.deepEqual(map.loops.map((l) => l.name), ['for_each_sg']);
  });

  test('if/else arms, early exits and switch arms become guards', async () => {
    const a = await factsOf('f.c', [
      'int f(struct page *p)', '{',
      '\tif (is_pci_p2pdma_page(p))', '\t\treturn -EREMOTEIO;',
      '\tif (a && !b)', '\t\tone();', '\telse', '\t\ttwo();',
      '\tswitch (pci_p2pdma_state(&s, dev, p)) {', '\tcase PCI_P2PDMA_MAP_NONE:', '\t\tthree();', '\t\tbreak;', '\tdefault:', '\t\treturn -EIO;', '\t}',
      '\treturn 0;', '}', '',
    ].join('\n'));
    const calls = a.post.functions[0]!.calls;
    const guards = (name: string) => calls.find((c) => c.name === name)!.guards.map((g) => `${g.kind}${g.positive ? '+' : '-'}${g.labels?.join('|') ?? g.cond.text}`);
    assert.deepEqual(guards('one'), ['early-exit-(is_pci_p2pdma_page(p))', 'if+(a && !b)']);
    assert.deepEqual(guards('two'), ['early-exit-(is_pci_p2pdma_page(p))', 'else-(a && !b)']);
    assert.deepEqual(guards('three'), ['early-exit-(is_pci_p2pdma_page(p))', 'case+PCI_P2PDMA_MAP_NONE']);
  });

  test('taint flows through locals, carrying calls, struct fields and iterator variables', async () => {
    const a = await factsOf('f.c', [
      'void g(struct c *ctrl) { ctrl->buf = pci_alloc_p2pmem(ctrl->pdev, 4096); }',
      'void f(struct pci_dev *pdev, struct c *other)', '{',
      '\tvoid *va = pci_alloc_p2pmem(pdev, 4096);', '\tstruct page *pg = virt_to_page(va);',
      '\tstruct scatterlist *sgl = pci_p2pmem_alloc_sgl(pdev, &n, 4096);',
      '\tfor_each_sg(sgl, sg, n, i)', '\t\tuse(sg);', '\tplain = kmalloc(64, GFP_KERNEL);', '}', '',
    ].join('\n'));
    const fn = a.post.functions.find((f) => f.name === 'f')!;
    const view = a.taintOf(fn);
    assert.equal(view.paths.get('pg')?.origin, 'p2pmem');
    assert.equal(view.paths.get('sg')?.origin, 'p2pmem');
    assert.equal(view.paths.get('plain'), undefined);
    const otherBuf: Expr = { text: 'other->buf', kind: 'path', name: 'other.buf', args: [], paths: ['other.buf'], callNames: [], identifiers: ['other', 'buf'] };
    assert.equal(view.of(otherBuf)?.origin, 'p2pmem', 'a field that holds P2P memory somewhere in the file');
  });
});

describe('kernel era', () => {
  test('removed and context identifiers place the tree', () => {
    const pre6 = inferEra(new Set(['pci_p2pdma_map_sg', 'is_pci_p2pdma_page']), new Set());
    assert.ok(isBefore(pre6, 6000));
    const v6 = inferEra(new Set(['dma_map_sgtable', 'EREMOTEIO']), new Set(['pci_p2pdma_map_sg_attrs']));
    assert.equal(v6.min, 6000);
    assert.ok(mayBeAtLeast(v6, 6000));
    assert.match(describeEra(v6), /6\.0\+/);
  });

  test('added identifiers count only when the pre-image says nothing, and --kernel-version wins', () => {
    assert.ok(isBefore(inferEra(new Set(), new Set(['pci_p2pdma_unmap_sg'])), 6000));
    assert.equal(inferEra(new Set(['DMA_ATTR_MMIO']), new Set(), parseVersion('5.10')).min, 5010);
    assert.equal(describeEra(inferEra(new Set(), new Set())), 'newest kernel (no version evidence in the patch)');
  });

  test('version strings', () => {
    assert.equal(parseVersion('6.18'), 6018);
    assert.equal(parseVersion('v4.20-rc1'), 4020);
    assert.equal(parseVersion('six'), undefined);
  });
});

describe('hunks that start on the function body', () => {
  test('a hunk starting on the function\'s own `{` is that function', async () => {
    const fragment = buildFragment(lines(['{', '\tstruct nvme_iod *iod = blk_mq_rq_to_pdu(req);', '\tdma_unmap_page(dev, addr, len, dir);', '}']), 'static void nvme_free_prps(struct nvme_dev *dev, struct request *req)');
    assert.equal(fragment.source.split('\n')[0], 'void nvme_free_prps(struct nvme_dev *dev, struct request *req)');
    assert.equal(fragment.enclosingFunction, 'nvme_free_prps');
  });
});
