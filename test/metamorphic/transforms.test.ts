import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { caseDoc, docErrors, loadCases, transformText } from './harness.js';
import { writeDoc } from './doc.js';
import { TRANSFORMS } from './transforms.js';

/**
 * The transformations really transform: on hand-made examples each gives exactly the expected
 * text, and over the rule cases each applies somewhere, changes the text where it applies, and
 * adds no ERROR node to the parse. A transformation that silently did nothing would make the
 * survival table meaningless.
 */

const DEMO = `static int demo(struct demo_dev *ddev, size_t len)
{
	void *buf;
	dma_addr_t addr;

	buf = pci_alloc_p2pmem(ddev->pdev, len);
	// ruleid: R2
	addr = dma_map_single(ddev->dev, buf, len, DMA_TO_DEVICE);
	ddev->len = len;
	if (is_pci_p2pdma_page(virt_to_page(buf)))
		ddev->addr = addr;
	else
		ddev->addr = 0;
	ddev->ok = addr ? true : false;
	return 0;
}
`;

const GUARDED = `static void demo2(struct demo_dev *ddev, struct page *page)
{
	/* ok: R2 */
	if (!is_pci_p2pdma_page(page))
		ddev->addr = dma_map_page(ddev->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
}
`;

const PATCH = `Subject: [PATCH] demo

---
diff --git a/drivers/demo/demo.c b/drivers/demo/demo.c
--- a/drivers/demo/demo.c
+++ b/drivers/demo/demo.c
@@ -10,4 +10,5 @@ static int demo(struct demo_dev *ddev)
 	void *buf = ddev->buf;
 
-	ddev->addr = 0;
+	/* ruleid: R2 */
+	ddev->addr = dma_map_single(ddev->dev, buf, SZ_4K, DMA_TO_DEVICE);
 	return 0;
@@ -40,3 +41,3 @@ static int other(void)
 	x = 1;
-	y = 2;
+	y = 3;
 	return 0;
`;

const EXPECTED: [string, string, string][] = [
  ["rename", DEMO, "static int demo(struct demo_dev *lv1, size_t lv2)\n{\n\tvoid *lv3;\n\tdma_addr_t lv4;\n\n\tlv3 = pci_alloc_p2pmem(lv1->pdev, lv2);\n\t// ruleid: R2\n\tlv4 = dma_map_single(lv1->dev, lv3, lv2, DMA_TO_DEVICE);\n\tlv1->len = lv2;\n\tif (is_pci_p2pdma_page(virt_to_page(lv3)))\n\t\tlv1->addr = lv4;\n\telse\n\t\tlv1->addr = 0;\n\tlv1->ok = lv4 ? true : false;\n\treturn 0;\n}\n"],
  ["field-src", DEMO, "struct meta_ctx1 {\n\tvoid *buf;\n};\n\nstatic struct meta_ctx1 meta_ctx1_store;\n\nstatic void meta_fill1(struct meta_ctx1 *ctx, struct demo_dev *ddev, size_t len)\n{\n\tctx->buf = pci_alloc_p2pmem(ddev->pdev, len);\n}\n\nstatic int demo(struct demo_dev *ddev, size_t len)\n{\n\tvoid *buf;\n\tdma_addr_t addr;\n\n\tstruct meta_ctx1 *mctx1 = &meta_ctx1_store;\n\tmeta_fill1(mctx1, ddev, len);\n\t// ruleid: R2\n\taddr = dma_map_single(ddev->dev, mctx1->buf, len, DMA_TO_DEVICE);\n\tddev->len = len;\n\tif (is_pci_p2pdma_page(virt_to_page(mctx1->buf)))\n\t\tddev->addr = addr;\n\telse\n\t\tddev->addr = 0;\n\tddev->ok = addr ? true : false;\n\treturn 0;\n}\n"],
  ["helper-dec", DEMO, "static bool meta_decide1(void *buf)\n{\n\treturn is_pci_p2pdma_page(virt_to_page(buf));\n}\n\nstatic int demo(struct demo_dev *ddev, size_t len)\n{\n\tvoid *buf;\n\tdma_addr_t addr;\n\n\tbuf = pci_alloc_p2pmem(ddev->pdev, len);\n\t// ruleid: R2\n\taddr = dma_map_single(ddev->dev, buf, len, DMA_TO_DEVICE);\n\tddev->len = len;\n\tif (meta_decide1(buf))\n\t\tddev->addr = addr;\n\telse\n\t\tddev->addr = 0;\n\tddev->ok = addr ? true : false;\n\treturn 0;\n}\n"],
  ["helper-call", DEMO, "static dma_addr_t meta_call1(struct demo_dev *ddev, void *buf, size_t len)\n{\n\treturn dma_map_single(ddev->dev, buf, len, DMA_TO_DEVICE); /* @alt m1 */\n}\n\nstatic int demo(struct demo_dev *ddev, size_t len)\n{\n\tvoid *buf;\n\tdma_addr_t addr;\n\n\tbuf = pci_alloc_p2pmem(ddev->pdev, len);\n\t// ruleid: R2 @m1\n\taddr = meta_call1(ddev, buf, len);\n\tddev->len = len;\n\tif (is_pci_p2pdma_page(virt_to_page(buf)))\n\t\tddev->addr = addr;\n\telse\n\t\tddev->addr = 0;\n\tddev->ok = addr ? true : false;\n\treturn 0;\n}\n"],
  ["2nd-file", DEMO, "Subject: [PATCH] metamorphic variant\n\n---\ndiff --git a/drivers/misc/meta/example.c b/drivers/misc/meta/example.c\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/drivers/misc/meta/example.c\n@@ -0,0 +1,19 @@\n+dma_addr_t meta_call1(struct demo_dev *ddev, void *buf, size_t len);\n+bool meta_decide2(void *buf);\n+\n+static int demo(struct demo_dev *ddev, size_t len)\n+{\n+\tvoid *buf;\n+\tdma_addr_t addr;\n+\n+\tbuf = pci_alloc_p2pmem(ddev->pdev, len);\n+\t// ruleid: R2 @m1\n+\taddr = meta_call1(ddev, buf, len);\n+\tddev->len = len;\n+\tif (meta_decide2(buf))\n+\t\tddev->addr = addr;\n+\telse\n+\t\tddev->addr = 0;\n+\tddev->ok = addr ? true : false;\n+\treturn 0;\n+}\ndiff --git a/drivers/misc/meta/example-meta-helpers.c b/drivers/misc/meta/example-meta-helpers.c\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/drivers/misc/meta/example-meta-helpers.c\n@@ -0,0 +1,10 @@\n+dma_addr_t meta_call1(struct demo_dev *ddev, void *buf, size_t len)\n+{\n+\treturn dma_map_single(ddev->dev, buf, len, DMA_TO_DEVICE); /* @alt m1 */\n+}\n+\n+bool meta_decide2(void *buf)\n+{\n+\treturn is_pci_p2pdma_page(virt_to_page(buf));\n+}\n+\n"],
  ["pred-local", DEMO, "static int demo(struct demo_dev *ddev, size_t len)\n{\n\tvoid *buf;\n\tdma_addr_t addr;\n\n\tbuf = pci_alloc_p2pmem(ddev->pdev, len);\n\t// ruleid: R2\n\taddr = dma_map_single(ddev->dev, buf, len, DMA_TO_DEVICE);\n\tddev->len = len;\n\tbool pred1 = is_pci_p2pdma_page(virt_to_page(buf));\n\tif (pred1)\n\t\tddev->addr = addr;\n\telse\n\t\tddev->addr = 0;\n\tddev->ok = addr ? true : false;\n\treturn 0;\n}\n"],
  ["pred-flag", DEMO, "static int demo(struct demo_dev *ddev, size_t len)\n{\n\tvoid *buf;\n\tdma_addr_t addr;\n\n\tbuf = pci_alloc_p2pmem(ddev->pdev, len);\n\t// ruleid: R2\n\taddr = dma_map_single(ddev->dev, buf, len, DMA_TO_DEVICE);\n\tddev->len = len;\n\tddev->meta_flag1 = is_pci_p2pdma_page(virt_to_page(buf));\n\tif (ddev->meta_flag1)\n\t\tddev->addr = addr;\n\telse\n\t\tddev->addr = 0;\n\tddev->ok = addr ? true : false;\n\treturn 0;\n}\n"],
  ["if<->?:", DEMO, "static int demo(struct demo_dev *ddev, size_t len)\n{\n\tvoid *buf;\n\tdma_addr_t addr;\n\n\tbuf = pci_alloc_p2pmem(ddev->pdev, len);\n\t// ruleid: R2\n\taddr = dma_map_single(ddev->dev, buf, len, DMA_TO_DEVICE);\n\tddev->len = len;\n\tddev->addr = is_pci_p2pdma_page(virt_to_page(buf)) ?\n\t\taddr :\n\t\t0;\n\tif (addr)\n\t\tddev->ok = true;\n\telse\n\t\tddev->ok = false;\n\treturn 0;\n}\n"],
  ["extra-&&", GUARDED, "static void demo2(struct demo_dev *ddev, struct page *page)\n{\n\t/* ok: R2 */\n\tif (!is_pci_p2pdma_page(page) && likely(meta_nr > 0))\n\t\tddev->addr = dma_map_page(ddev->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);\n}\n"],
  ["macro", DEMO, "#define META_CALL1(d, p) dma_map_single(d, p, len, DMA_TO_DEVICE) /* @alt m1 */\n\nstatic int demo(struct demo_dev *ddev, size_t len)\n{\n\tvoid *buf;\n\tdma_addr_t addr;\n\n\tbuf = pci_alloc_p2pmem(ddev->pdev, len);\n\t// ruleid: R2 @m1\n\taddr = META_CALL1(ddev->dev, buf);\n\tddev->len = len;\n\tif (is_pci_p2pdma_page(virt_to_page(buf)))\n\t\tddev->addr = addr;\n\telse\n\t\tddev->addr = 0;\n\tddev->ok = addr ? true : false;\n\treturn 0;\n}\n"],
  ["split", DEMO, "static int demo(struct demo_dev *ddev, size_t len)\n{\n\tvoid *buf;\n\tdma_addr_t addr;\n\n\tbuf = pci_alloc_p2pmem(ddev->pdev, len);\n\t// ruleid: R2 @m1\n\taddr = dma_map_single(ddev->dev, /* @alt m1 */\n\t\t\tbuf, /* @alt m1 */\n\t\t\tlen, /* @alt m1 */\n\t\t\tDMA_TO_DEVICE) /* @alt m1 */;\n\tddev->len = len;\n\tif (is_pci_p2pdma_page(virt_to_page(buf)))\n\t\tddev->addr = addr;\n\telse\n\t\tddev->addr = 0;\n\tddev->ok = addr ? true : false;\n\treturn 0;\n}\n"],
  ["reorder", DEMO, "static int demo(struct demo_dev *ddev, size_t len)\n{\n\tdma_addr_t addr;\n\tvoid *buf;\n\n\tbuf = pci_alloc_p2pmem(ddev->pdev, len);\n\t// ruleid: R2\n\taddr = dma_map_single(ddev->dev, buf, len, DMA_TO_DEVICE);\n\tddev->len = len;\n\tif (is_pci_p2pdma_page(virt_to_page(buf)))\n\t\tddev->addr = addr;\n\telse\n\t\tddev->addr = 0;\n\tddev->ok = addr ? true : false;\n\treturn 0;\n}\n"],
  ["guard-caller", GUARDED, "static dma_addr_t meta_call1(struct demo_dev *ddev, struct page *page)\n{\n\treturn dma_map_page(ddev->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);\n}\n\nstatic void demo2(struct demo_dev *ddev, struct page *page)\n{\n\t/* ok: R2 */\n\tif (!is_pci_p2pdma_page(page))\n\t\tddev->addr = meta_call1(ddev, page);\n}\n"],
];

describe('metamorphic transformations', () => {
  test('every transformation has a hand-made example', () => {
    assert.deepEqual(EXPECTED.map((e) => e[0]).sort(), TRANSFORMS.map((t) => t.id).sort());
  });
  for (const [id, input, expected] of EXPECTED) {
    test(`${id} gives the expected text on a tiny example`, async () => {
      const r = await transformText(input, id, 'R2');
      assert.ok(r.applied, `${id} does not apply`);
      assert.equal(r.text, expected);
      assert.equal(await docErrors(r.doc), 0, 'the variant parses without ERROR nodes');
    });
  }

  test('a hunk in the middle of a function: helper in a new top hunk, later hunks shifted', async () => {
    const r = await transformText(PATCH, 'helper-call', 'R2', 'demo.patch');
    assert.equal(r.text, "Subject: [PATCH] demo\n\n---\ndiff --git a/drivers/demo/demo.c b/drivers/demo/demo.c\n--- a/drivers/demo/demo.c\n+++ b/drivers/demo/demo.c\n@@ -0,0 +1,5 @@\n+static dma_addr_t meta_call1(struct demo_dev *ddev, void *buf)\n+{\n+\treturn dma_map_single(ddev->dev, buf, SZ_4K, DMA_TO_DEVICE); /* @alt m1 */\n+}\n+\n@@ -10,4 +15,5 @@ static int demo(struct demo_dev *ddev)\n \tvoid *buf = ddev->buf;\n \n-\tddev->addr = 0;\n+\t/* ruleid: R2 @m1 */\n+\tddev->addr = meta_call1(ddev, buf);\n \treturn 0;\n@@ -40,3 +46,3 @@ static int other(void)\n \tx = 1;\n-\ty = 2;\n+\ty = 3;\n \treturn 0;\n");
  });

  test('the case files round-trip through the harness model unchanged', () => {
    for (const c of loadCases()) assert.equal(writeDoc(caseDoc(c)).replace(/\n*$/, ''), c.text.replace(/\n*$/, ''), c.key);
  });

  test('over the rule cases each transformation applies, changes the text and adds no ERROR node', async () => {
    const cases = loadCases();
    const applied = new Map<string, number>();
    for (const c of cases) {
      const before = await docErrors(caseDoc(c));
      for (const t of TRANSFORMS) {
        const r = await transformText(c.text, t.id, c.rule, c.file);
        if (!r.applied) continue;
        applied.set(t.id, (applied.get(t.id) ?? 0) + 1);
        assert.notEqual(r.text, writeDoc(caseDoc(c)), `${t.id} on ${c.key} claims to apply but changes nothing`);
        assert.ok(await docErrors(r.doc) <= before, `${t.id} on ${c.key} adds ERROR nodes`);
      }
    }
    for (const t of TRANSFORMS) assert.ok((applied.get(t.id) ?? 0) >= 10, `${t.id} applies to ${applied.get(t.id) ?? 0} cases only`);
  });
});
