// R2 stays quiet: the first loop exits on any P2P entry, the page test being one operand of an
// `||` whose arm returns -EREMOTEIO; the second loop maps host pages only.
static int reject_or_fail_then_map(struct device *dev, struct scatterlist *sgl, int nents, int budget)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		if (budget-- <= 0 || is_pci_p2pdma_page(sg_page(sg)))
			return -EREMOTEIO;
	for_each_sg(sgl, sg, nents, i)
		/* ok: R2 */
		sg->dma_address = dma_map_page(dev, sg_page(sg), sg->offset, sg->length, DMA_TO_DEVICE);
	return 0;
}

