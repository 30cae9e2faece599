// R6 fires on 6.19+: the driver maps requests with blk_rq_dma_map_iter_start() but never records
// iter.p2pdma.map, so the map type blk_rq_dma_unmap() is given cannot be the one of the mapping.
// kernel-version: 6.19
static blk_status_t example_map_rq(struct request *req, struct device *dma_dev, struct example_iod *iod)
{
	struct blk_dma_iter iter;

	if (!blk_rq_dma_map_iter_start(req, dma_dev, &iod->dma_state, &iter))
		return iter.status;
	iod->first_dma = iter.addr;
	iod->total_len = iter.len;
	return BLK_STS_OK;
}

static void example_unmap_rq(struct request *req, struct device *dma_dev, struct example_iod *iod)
{
	/* ruleid: R6(warning) */
	if (!blk_rq_dma_unmap(req, dma_dev, &iod->dma_state, iod->total_len, iod->map))
		example_free_prps(req);
}
