// R4 stays quiet: the provider uses its own memory (nvme CMB for its own SQ, distance 0).
// kernel-version: 6.6
static int cmb_alloc_sq(struct nvme_dev *dev, struct nvme_queue *nvmeq, struct pci_dev *pdev)
{
	nvmeq->sq_cmds = pci_alloc_p2pmem(pdev, SQ_SIZE(nvmeq));
	if (!nvmeq->sq_cmds)
		return -ENOMEM;
	// ok: R4
	nvmeq->sq_dma_addr = pci_p2pmem_virt_to_bus(pdev, nvmeq->sq_cmds);
	return 0;
}

static int peer_self(struct pci_dev *peer, size_t len)
{
	void *buf = pci_alloc_p2pmem(peer, len);
	dma_addr_t dma;

	// ok: R4
	dma = dma_map_single(&peer->dev, buf, len, DMA_TO_DEVICE);
	return dma_mapping_error(&peer->dev, dma);
}
