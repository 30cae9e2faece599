// R6 stays quiet when blk_rq_dma_unmap() gets the map type the driver recorded at map time.
// kernel-version: 6.19
static blk_status_t example_map_rq(struct request *req, struct device *dma_dev, struct example_iod *iod)
{
	struct blk_dma_iter iter;

	if (!blk_rq_dma_map_iter_start(req, dma_dev, &iod->dma_state, &iter))
		return iter.status;
	iod->map = iter.p2pdma.map;
	return BLK_STS_OK;
}

static void example_unmap_rq(struct request *req, struct device *dma_dev, struct example_iod *iod)
{
	/* ok: R6 */
	if (!blk_rq_dma_unmap(req, dma_dev, &iod->dma_state, iod->total_len, iod->map))
		example_free_prps(req);
}

static void example_unmap_rq_stored(struct request *req, struct device *dma_dev, struct example_iod *iod)
{
	enum pci_p2pdma_map_type map = PCI_P2PDMA_MAP_NONE;

	if (iod->flags & EXAMPLE_DATA_MMIO)
		map = PCI_P2PDMA_MAP_THRU_HOST_BRIDGE;
	/* ok: R6 - blk_rq_dma_unmap() gets the stored map type */
	if (!blk_rq_dma_unmap(req, dma_dev, &iod->dma_state, iod->total_len, map))
		example_free_prps(req);
}
