// R2 fires: dma_map_page(sg_page(sg)) in a loop over a P2P-capable SGL, without a per-entry guard.
static int foo_map_p2p_sgl(struct pci_dev *pdev, struct device *dev, u32 len)
{
	struct scatterlist *sgl, *sg;
	unsigned int nents;
	int i;

	sgl = pci_p2pmem_alloc_sgl(pdev, &nents, len);
	if (!sgl)
		return -ENOMEM;
	for_each_sg(sgl, sg, nents, i) {
		// ruleid: R2
		sg->dma_address = dma_map_page(dev, sg_page(sg), sg->offset,
					       sg->length, DMA_TO_DEVICE);
	}
	return 0;
}

/* The list is tested for P2P elsewhere in the function: the unguarded loop still maps P2P pages. */
static int bar_map_list(struct device *dev, struct scatterlist *list, int n)
{
	struct scatterlist *sg;
	int i;

	if (is_pci_p2pdma_page(sg_page(list)))
		atomic_inc(&bar_p2p_users);
	for_each_sg(list, sg, n, i)
		// ruleid: R2(warning)
		sg_dma_address(sg) = dma_map_page(dev, sg_page(sg), 0, sg->length, DMA_TO_DEVICE);
	return 0;
}
