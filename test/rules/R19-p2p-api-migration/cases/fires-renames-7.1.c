// SPDX-License-Identifier: GPL-2.0
/* kernel-version: 7.1 — an out-of-tree exporter forward-ported to 7.1 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>

struct demo_export {
	struct dma_buf *dmabuf;
	/* ruleid: R19(error) */
	struct dma_buf_phys_vec *ranges;
	unsigned int nr_ranges;
};

static void demo_importer_invalidate(struct dma_buf_attachment *attach)
{
	/* the old dma_buf_move_notify() in a comment is not code */
	pr_debug("dma_buf_move_notify() would have been called\n");
}

static const struct dma_buf_attach_ops demo_importer_ops = {
	.allow_peer2peer = true,
	/* ruleid: R19(error) */
	.move_notify = demo_importer_invalidate,
};

static void demo_revoke(struct demo_export *exp)
{
	dma_resv_lock(exp->dmabuf->resv, NULL);
	/* ruleid: R19(error) */
	dma_buf_move_notify(exp->dmabuf);
	dma_resv_unlock(exp->dmabuf->resv);
}

static dma_addr_t demo_map_cacheline(struct device *dev, void *buf, size_t len)
{
	/* ruleid: R19(error) */
	return dma_map_single_attrs(dev, buf, len, DMA_FROM_DEVICE, DMA_ATTR_CPU_CACHE_CLEAN);
}

static bool demo_has_peer_mem(struct pci_dev *pdev)
{
	/* ruleid: R19(error) */
	return pci_has_p2pmem(pdev);
}
