// SPDX-License-Identifier: GPL-2.0
/* kernel-version: 7.0 */
#include <linux/blk-mq-dma.h>
#include <linux/pci-p2pdma.h>

struct demo_iod {
	struct dma_iova_state dma_state;
};

static bool demo_map_segments(struct request *req, struct device *dma_dev, struct demo_iod *iod,
			      struct blk_dma_iter *iter)
{
	if (!blk_rq_dma_map_iter_start(req, dma_dev, &iod->dma_state, iter))
		return false;
	do {
		demo_add_segment(iod, iter->addr, iter->len);
		/* ruleid: R19(error) */
	} while (blk_rq_dma_map_iter_next(req, dma_dev, &iod->dma_state, iter));
	return true;
}

static bool demo_map_segments_new(struct request *req, struct device *dma_dev, struct demo_iod *iod,
				  struct blk_dma_iter *iter)
{
	if (!blk_rq_dma_map_iter_start(req, dma_dev, &iod->dma_state, iter))
		return false;
	do {
		demo_add_segment(iod, iter->addr, iter->len);
		/* ok: R19 (the 7.0 three-argument form) */
	} while (blk_rq_dma_map_iter_next(req, dma_dev, iter));
	return true;
}

static int demo_map_one(struct device *dev, struct pci_p2pdma_map_state *state, struct scatterlist *sg)
{
	/* ruleid: R19(error) */
	switch (pci_p2pdma_map_segment(state, dev, sg)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		return 0;
	default:
		return -EREMOTEIO;
	}
}
