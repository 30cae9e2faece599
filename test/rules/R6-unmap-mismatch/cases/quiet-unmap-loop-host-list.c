// R6 stays quiet on unmap loops over lists that nothing in the file makes P2P-capable.
// kernel-version: 6.6
static void example_unmap_host(struct device *dev, struct sg_table *sgt)
{
	struct scatterlist *sg;
	int i;

	for_each_sgtable_dma_sg(sgt, sg, i)
		/* ok: R6 */
		dma_unmap_page(dev, sg_dma_address(sg), sg_dma_len(sg), DMA_FROM_DEVICE);
}

/* P2P entries are left out before the unmap: what is unmapped is host memory. */
static void example_unmap_skipping_p2p(struct device *dev, struct scatterlist *sgl, int nents)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		if (is_pci_p2pdma_page(sg_page(sg)))
			continue;
		/* ok: R6 */
		dma_unmap_page(dev, sg_dma_address(sg), sg_dma_len(sg), DMA_FROM_DEVICE);
	}
}
