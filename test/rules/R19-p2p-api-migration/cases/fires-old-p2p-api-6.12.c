// SPDX-License-Identifier: GPL-2.0
/* kernel-version: 6.12 — an old out-of-tree RDMA/NVMe glue driver built for 6.12 */
#include <linux/blkdev.h>
#include <linux/pci-p2pdma.h>
#include <linux/dma-map-ops.h>
#include <rdma/ib_verbs.h>

static int demo_map_data(struct ib_device *ibdev, struct scatterlist *sgl, int nents,
			 enum dma_data_direction dir)
{
	if (is_pci_p2pdma_page(sg_page(sgl)))
		/* ruleid: R19(error) */
		return pci_p2pdma_map_sg(ibdev->dma_device, sgl, nents, dir);
	return ib_dma_map_sg(ibdev, sgl, nents, dir);
}

static void demo_setup_queue(struct request_queue *q, struct device *dev)
{
	/* ruleid: R19(error) */
	if (dev->dma_ops == &dma_virt_ops)
		return;
	/* ruleid: R19(error) */
	blk_queue_flag_set(QUEUE_FLAG_PCI_P2PDMA, q);
}

static const struct dma_map_ops demo_dma_ops = {
	/* ruleid: R19(error) */
	.flags = DMA_F_PCI_P2PDMA_SUPPORTED,
};

static void demo_unmap_list(struct device *dev, struct scatterlist *sgl, int nents)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		/* ruleid: R19(warning) the 6.5 boundary is unsure: one level lower */
		if (sg_is_dma_bus_address(sg))
			continue;
		dma_unmap_page(dev, sg_dma_address(sg), sg_dma_len(sg), DMA_TO_DEVICE);
	}
}

static const struct demo_queue_cfg demo_cfg = {
	/* ok: R19 (a flags field of another struct) */
	.flags = DEMO_QUEUE_SHARED,
};

static const struct dma_map_ops demo_legacy_ops = {
	.map_sg = demo_map_sg,
	/* ruleid: R19(error) struct dma_map_ops has no flags on 6.12 */
	.flags = DEMO_DMA_FLAGS,
};
