// R4 fires before 6.0: pci_p2pdma_map_sg() maps a p2pmem list for the client with no distance
// check (from 6.0 the list mappers refuse unreachable entries themselves).
// kernel-version: 5.19
static int peer_copy(struct pci_dev *provider, struct device *peer_dev, size_t len)
{
	struct scatterlist *sgl;
	unsigned int nents;
	int mapped;

	sgl = pci_p2pmem_alloc_sgl(provider, &nents, len);
	if (!sgl)
		return -ENOMEM;
	// ruleid: R4
	mapped = pci_p2pdma_map_sg(peer_dev, sgl, nents, DMA_TO_DEVICE);
	if (!mapped) {
		pci_p2pmem_free_sgl(provider, sgl);
		return -EIO;
	}
	return 0;
}
