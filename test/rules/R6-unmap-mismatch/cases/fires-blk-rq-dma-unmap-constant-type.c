// R6 fires (6.19 blk-mq-dma callers): the driver maps requests with blk_rq_dma_map_iter_start() but
// hands blk_rq_dma_unmap() a constant map type instead of the one recorded at map time.
// kernel-version: 6.19
static blk_status_t example_map_rq(struct request *req, struct device *dma_dev, struct example_iod *iod)
{
	struct blk_dma_iter iter;

	if (!blk_rq_dma_map_iter_start(req, dma_dev, &iod->dma_state, &iter))
		return iter.status;
	if (iter.p2pdma.map == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE)
		iod->flags |= EXAMPLE_DATA_MMIO;
	return BLK_STS_OK;
}

static void example_unmap_rq(struct request *req, struct device *dma_dev, struct example_iod *iod)
{
	/* ruleid: R6 */
	if (!blk_rq_dma_unmap(req, dma_dev, &iod->dma_state, iod->total_len,
			      PCI_P2PDMA_MAP_NONE))
		example_free_prps(req);
}
