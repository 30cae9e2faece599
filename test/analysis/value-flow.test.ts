import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Call, FunctionFacts } from '../../src/analysis/facts.js';
import { analyseFile, type FileAnalysis } from '../../src/analysis/file-analysis.js';
import { PatchFlow } from '../../src/analysis/value-flow.js';
import { cParser } from '../../src/c-parse/c-parser.js';
import { readInput } from '../../src/input/read-input.js';

/** The files of a C source or patch, analysed into one patch-wide flow. */
async function flowOf(name: string, text: string): Promise<FileAnalysis[]> {
  const [patch] = await readInput(name, Buffer.from(text));
  const flow = new PatchFlow();
  const parser = await cParser();
  return patch!.files.map((f) => analyseFile(parser, patch!, f, f.newPath, false, flow));
}

function callIn(files: FileAnalysis[], fnName: string, callee: string, nth = 0): { file: FileAnalysis; fn: FunctionFacts; call: Call } {
  for (const file of files) {
    const fn = file.post.functions.find((f) => f.name === fnName);
    const calls = fn?.calls.filter((c) => c.name === callee) ?? [];
    if (fn && calls[nth]) return { file, fn, call: calls[nth]! };
  }
  throw new Error(`no ${callee}() in ${fnName}`);
}

/** The origin of argument `arg` of the `nth` call to `callee` in `fnName`, at that call. */
function originAt(files: FileAnalysis[], fnName: string, callee: string, arg: number, nth = 0): string | undefined {
  const { file, fn, call } = callIn(files, fnName, callee, nth);
  return file.taintOf(fn).at(call).of(call.args[arg]!)?.origin;
}

describe('value flow', () => {
  test('an assignment kills: a buffer reassigned from kmalloc() on the path to the sink is host memory', async () => {
    const files = await flowOf('a.c', `
void f(struct pci_dev *pdev, struct device *dev, size_t len, bool b)
{
	void *p = pci_alloc_p2pmem(pdev, len);
	use(p);
	p = kmalloc(len, GFP_KERNEL);
	sink(dev, p);
}`);
    assert.equal(originAt(files, 'f', 'use', 0), 'p2pmem');
    assert.equal(originAt(files, 'f', 'sink', 1), undefined);
  });

  test('each branch keeps its own definitions; after the join both reach', async () => {
    const files = await flowOf('a.c', `
void f(struct pci_dev *pdev, struct device *dev, size_t len, bool bar)
{
	void *p;

	if (bar) {
		p = pci_iomap(pdev, 2, len);
		a(p);
	} else {
		p = (void *)__get_free_pages(GFP_KERNEL, 0);
		b(p);
	}
	c(p);
}`);
    assert.equal(originAt(files, 'f', 'a', 0), 'bar');
    assert.equal(originAt(files, 'f', 'b', 0), undefined);
    assert.equal(originAt(files, 'f', 'c', 0), 'bar');
  });

  test('fields are keyed by their object type, not their name', async () => {
    const files = await flowOf('a.c', `
static int probe(struct pci_dev *pdev, struct foo *x)
{
	x->base = pci_iomap(pdev, 0, 0);
	return 0;
}
static void io(struct bar *pool, struct foo *y)
{
	a(pool->base);
	b(y->base);
}`);
    assert.equal(originAt(files, 'io', 'a', 0), undefined);
    assert.equal(originAt(files, 'io', 'b', 0), 'bar');
  });

  test('ioremap() is a PCI BAR only when its address is one', async () => {
    const files = await flowOf('a.c', `
static void f(struct pci_dev *pdev, struct resource *res)
{
	void __iomem *a = ioremap(pci_resource_start(pdev, 0), SZ_4K);
	void __iomem *b = ioremap(res->start, resource_size(res));
	void __iomem *c = devm_platform_ioremap_resource(to_platform_device(dev), 0);
	use(a, b, c);
}`);
    assert.equal(originAt(files, 'f', 'use', 0), 'bar');
    assert.equal(originAt(files, 'f', 'use', 1), undefined);
    assert.equal(originAt(files, 'f', 'use', 2), undefined);
  });

  test('writers fill the table they write; out-parameters of helpers carry what the helper stores', async () => {
    const files = await flowOf('a.c', `
static int get_buf(struct pci_dev *pdev, void **out)
{
	*out = pci_alloc_p2pmem(pdev, SZ_4K);
	return *out ? 0 : -ENOMEM;
}
static void f(struct pci_dev *pdev, struct scatterlist *sg, struct page *host)
{
	void *buf;

	get_buf(pdev, &buf);
	sg_set_buf(sg, buf, SZ_4K);
	use(buf, sg);
}`);
    assert.equal(originAt(files, 'f', 'use', 0), 'p2pmem');
    assert.equal(originAt(files, 'f', 'use', 1), 'p2pmem');
  });

  test('callers bind parameters, unless the call site proves the memory is not P2P', async () => {
    const files = await flowOf('a.c', `
static void map_one(struct device *dev, struct page *page)
{
	if (!dev)
		return;
	sink(dev, page);
}
static void map_two(struct device *dev, struct page *page)
{
	if (!dev)
		return;
	sink(dev, page);
}
static void f(struct device *dev, struct pci_dev *pdev)
{
	void *va = pci_alloc_p2pmem(pdev, SZ_4K);
	struct page *page = virt_to_page(va);

	map_one(dev, page);
	if (!is_pci_p2pdma_page(page))
		map_two(dev, page);
}`);
    assert.equal(originAt(files, 'map_one', 'sink', 1), 'p2pmem');
    assert.equal(originAt(files, 'map_two', 'sink', 1), undefined);
  });

  test('a one-call wrapper the patch defines is inlined at its call sites', async () => {
    const files = await flowOf('a.c', `
static dma_addr_t map_buf(struct device *d, void *p, size_t len)
{
	return dma_map_single(d, p, len, DMA_TO_DEVICE);
}
static void f(struct device *dev, struct pci_dev *pdev)
{
	void *va = pci_alloc_p2pmem(pdev, SZ_4K);

	map_buf(dev, va, SZ_4K);
}`);
    files[0]!.flow.finish();
    const { call } = callIn(files, 'f', 'dma_map_single');
    assert.equal(call.wrapper, 'map_buf');
    assert.equal(call.args[1]!.text, 'va');
    assert.equal(originAt(files, 'f', 'dma_map_single', 1), 'p2pmem');
  });

  test('a helper of one file of a patch returns P2P memory to a caller in another file', async () => {
    const files = await flowOf('x.patch', `diff --git a/d/a.c b/d/a.c
--- a/d/a.c
+++ b/d/a.c
@@ -1,2 +1,6 @@ int x;
 int x;
+void *get_cmb(struct ctrl *c)
+{
+	return pci_alloc_p2pmem(c->pdev, SZ_4K);
+}
 int y;
diff --git a/d/b.c b/d/b.c
--- a/d/b.c
+++ b/d/b.c
@@ -1,2 +1,6 @@ int z;
 int z;
+void f(struct ctrl *c)
+{
+	use(get_cmb(c));
+}
 int w;
`);
    assert.equal(originAt(files, 'f', 'use', 0), 'p2pmem');
  });

  test('request data is exposed only where the driver advertises P2P', async () => {
    const advertised = await flowOf('drv.c', `
static void lim(struct queue_limits *lim) { lim->features |= BLK_FEAT_PCI_P2PDMA; }
static void f(struct request *req) { struct bio_vec bv = req_bvec(req); use(&bv); }`);
    assert.equal(originAt(advertised, 'f', 'use', 0), 'exposed');
    const plain = await flowOf('drv.c', `
static void f(struct request *req) { struct bio_vec bv = req_bvec(req); use(&bv); }`);
    assert.equal(originAt(plain, 'f', 'use', 0), undefined);
  });
});
