// On 6.17-6.18 blk_rq_dma_unmap(req, dev, state, len) and (6.18) blk_rq_integrity_dma_unmap()
// read REQ_P2PDMA / BIP_P2P_DMA themselves: there is no map type to record. R6 stays quiet.
// kernel-version: 6.18
static blk_status_t example_map_rq(struct request *req, struct device *dma_dev, struct example_iod *iod)
{
	struct blk_dma_iter iter;

	if (!blk_rq_dma_map_iter_start(req, dma_dev, &iod->dma_state, &iter))
		return iter.status;
	iod->total_len = iter.len;
	return BLK_STS_OK;
}

static void example_unmap_rq(struct request *req, struct device *dma_dev, struct example_iod *iod)
{
	/* ok: R6 - the 6.18 form reads the request flag */
	if (!blk_rq_dma_unmap(req, dma_dev, &iod->dma_state, iod->total_len))
		example_free_prps(req);
	/* ok: R6 - the 6.18 integrity form reads BIP_P2P_DMA */
	if (!blk_rq_integrity_dma_unmap(req, dma_dev, &iod->meta_state, iod->meta_total_len))
		example_free_meta_prps(req);
}
