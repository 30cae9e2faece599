// R4 stays quiet from 6.0: dma_map_sg()/dma_map_sgtable() enforce the map type per entry
// (PCI_P2PDMA_MAP_NOT_SUPPORTED fails with -EREMOTEIO), so the list mapper is the check.
// kernel-version: 6.0
static int peer_copy(struct pci_dev *provider, struct device *peer_dev, size_t len)
{
	struct scatterlist *sgl;
	unsigned int nents;
	int mapped;

	sgl = pci_p2pmem_alloc_sgl(provider, &nents, len);
	if (!sgl)
		return -ENOMEM;
	// ok: R4
	mapped = dma_map_sg(peer_dev, sgl, nents, DMA_TO_DEVICE);
	if (!mapped) {
		pci_p2pmem_free_sgl(provider, sgl);
		return -EIO;
	}
	return 0;
}

static int peer_copy_table(struct pci_dev *provider, struct device *peer_dev, struct sg_table *sgt, size_t len)
{
	sgt->sgl = pci_p2pmem_alloc_sgl(provider, &sgt->orig_nents, len);
	if (!sgt->sgl)
		return -ENOMEM;
	// ok: R4
	return dma_map_sgtable(peer_dev, sgt, DMA_TO_DEVICE, 0);
}
