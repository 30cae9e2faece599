// SPDX-License-Identifier: GPL-2.0
/* kernel-version: 6.19 — a driver written against 6.18's block DMA helpers */
#include <linux/blk-mq-dma.h>
#include <linux/blk-integrity.h>

struct demo_iod {
	struct dma_iova_state dma_state;
	size_t total_len;
	size_t meta_total_len;
	enum pci_p2pdma_map_type data_map;
};

static void demo_unmap_data(struct request *req, struct device *dma_dev, struct demo_iod *iod)
{
	/* ruleid: R19(error) */
	if (!blk_rq_dma_unmap(req, dma_dev, &iod->dma_state, iod->total_len))
		return;
}

static void demo_unmap_data_new(struct request *req, struct device *dma_dev, struct demo_iod *iod)
{
	/* ok: R19 (the 6.19 form with the recorded map type) */
	blk_rq_dma_unmap(req, dma_dev, &iod->dma_state, iod->total_len, iod->data_map);
}

static void demo_unmap_meta(struct request *req, struct device *dma_dev, struct demo_iod *iod)
{
	/* ruleid: R19(error) */
	blk_rq_integrity_dma_unmap(req, dma_dev, &iod->dma_state, iod->meta_total_len);
}

static bool demo_unmap_any(struct request *req, struct device *dma_dev, struct demo_iod *iod)
{
	/* ruleid: R19(error) */
	return blk_dma_unmap(req, dma_dev, &iod->dma_state, iod->total_len, req->cmd_flags & REQ_P2PDMA);
}

static bool demo_meta_is_p2p(struct bio_integrity_payload *bip)
{
	/* ruleid: R19(error) */
	return bip->bip_flags & BIP_P2P_DMA;
}
