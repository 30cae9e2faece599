// R2 fires (warning) where a driver advertises P2P for its queue: the request's bvecs may be P2P,
// and dma_map_bvec() carries no P2P information unless a per-page test rules P2P out first.
static void demo_set_limits(struct demo_dev *dev, struct queue_limits *lim)
{
	if (dma_pci_p2pdma_supported(dev->dev))
		lim->features |= BLK_FEAT_PCI_P2PDMA;
}

static blk_status_t demo_map_simple(struct demo_dev *dev, struct request *req, struct demo_cmd *cmd)
{
	struct bio_vec bv = req_bvec(req);

	/* ruleid: R2(warning) */
	cmd->dma = dma_map_bvec(dev->dev, &bv, rq_dma_dir(req), 0);
	return BLK_STS_OK;
}

static blk_status_t demo_map_guarded(struct demo_dev *dev, struct request *req, struct demo_cmd *cmd)
{
	struct bio_vec bv = req_bvec(req);

	if (!is_pci_p2pdma_page(bv.bv_page)) {
		/* ok: R2 - the page is known not to be P2P */
		cmd->dma = dma_map_bvec(dev->dev, &bv, rq_dma_dir(req), 0);
		return BLK_STS_OK;
	}
	return demo_map_sgl(dev, req, cmd);
}
