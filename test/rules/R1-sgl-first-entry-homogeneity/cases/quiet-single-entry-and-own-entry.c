// R1 stays quiet where entry 0 is the whole list (a count of the list equal to 1 holds), where
// the tested entry is the loop's own, and where the test only rejects P2P.
// kernel-version: 6.12
static int demo_fast(struct device *dev, struct scatterlist *sgl, int nents)
{
	/* ok: R1 - one entry: entry 0 is the whole list */
	if (nents == 1 && !is_pci_p2pdma_page(sg_page(sgl)))
		return demo_map_single_entry(dev, sgl);
	return dma_map_sg(dev, sgl, nents, DMA_TO_DEVICE);
}

static int demo_fast_table(struct device *dev, struct sg_table *sgt)
{
	if (sgt->orig_nents == 1) {
		/* ok: R1 - inside a single-entry guard */
		if (is_pci_p2pdma_page(sg_page(sgt->sgl)))
			return demo_map_p2p_one(dev, sgt);
		return demo_map_host_one(dev, sgt);
	}
	return dma_map_sgtable(dev, sgt, DMA_TO_DEVICE, 0);
}

static int demo_walk(struct device *dev, struct scatterlist *sgl, int nents, dma_addr_t *addrs)
{
	struct scatterlist *sg;
	int i;

	for (sg = sgl, i = 0; i < nents; i++, sg = sg_next(sg)) {
		/* ok: R1 - each entry is tested */
		if (is_pci_p2pdma_page(sg_page(sg)))
			addrs[i] = demo_bus_addr(dev, sg);
		else
			addrs[i] = demo_host_addr(dev, sg);
	}
	return 0;
}

static int demo_reject_stored(struct device *dev, struct sg_table *sgt)
{
	/* ok: R1 - the stored test only rejects */
	bool p2p = is_pci_p2pdma_page(sg_page(sgt->sgl));

	if (p2p)
		return -EREMOTEIO;
	return dma_map_sgtable(dev, sgt, DMA_TO_DEVICE, 0);
}
