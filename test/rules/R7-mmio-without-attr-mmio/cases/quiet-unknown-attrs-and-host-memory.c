// R7 stays quiet when the attrs come from the caller (a parameter, a field) and when nothing shows
// the memory is MMIO (host pages, bvecs with no P2P state: R2's business).
// kernel-version: 6.19
static void example_free_prps(struct request *req, struct example_iod *iod, unsigned int attrs)
{
	unsigned int i;

	for (i = 0; i < iod->nr_dma_vecs; i++)
		/* ok: R7 */
		dma_unmap_phys(iod->dev, iod->dma_vecs[i].addr, iod->dma_vecs[i].len, rq_dma_dir(req), attrs);
}

static int example_map_bvec(struct device *dev, struct bio_vec *bv, struct example_iter *iter)
{
	/* ok: R7 */
	iter->addr = dma_map_phys(dev, bvec_phys(bv), bv->bv_len, DMA_TO_DEVICE, 0);
	/* ok: R7 */
	iter->addr2 = dma_map_phys(dev, bvec_phys(bv), bv->bv_len, DMA_TO_DEVICE, iter->attrs);
	return 0;
}

/* Capabilities and opt-ins say nothing about one mapping. */
static dma_addr_t example_capable(struct device *dev, struct request_queue *q, phys_addr_t phys, size_t len)
{
	if (IS_ENABLED(CONFIG_PCI_P2PDMA) && (q->limits.features & BLK_FEAT_PCI_P2PDMA))
		/* ok: R7 */
		return dma_map_phys(dev, phys, len, DMA_TO_DEVICE, 0);
	return DMA_MAPPING_ERROR;
}
