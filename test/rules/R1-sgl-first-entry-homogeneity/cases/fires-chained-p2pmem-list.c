// R1 fires: a p2pmem SGL chained with host pages and mapped with one call before 6.0.
// kernel-version: 5.10
static int chain_map(struct pci_dev *pdev, struct device *dev, struct scatterlist *host, int nhost)
{
	struct scatterlist *p2p;
	unsigned int np;

	p2p = pci_p2pmem_alloc_sgl(pdev, &np, SZ_64K);
	if (!p2p)
		return -ENOMEM;
	// ruleid: R1
	sg_chain(p2p, np + 1, host);
	return pci_p2pdma_map_sg(dev, p2p, np + nhost, DMA_TO_DEVICE);
}
