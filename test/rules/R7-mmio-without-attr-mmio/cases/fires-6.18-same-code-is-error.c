// From 6.18 on the same code is an error: DMA_ATTR_MMIO exists and the THRU_HOST_BRIDGE arm needs it.
// (The same code as fires-info-6.17-skip-sync.c.)
// kernel-version: 6.18
static int example_link(struct device *dev, struct dma_iova_state *state, struct page *page,
			struct pci_p2pdma_map_state *p2p, size_t off)
{
	unsigned long attrs = 0;

	switch (pci_p2pdma_state(p2p, dev, page)) {
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		/* ruleid: R7(error) */
		attrs |= DMA_ATTR_SKIP_CPU_SYNC;
		break;
	case PCI_P2PDMA_MAP_NONE:
		break;
	default:
		return -EREMOTEIO;
	}
	/* ruleid: R7(error) */
	return dma_iova_link(dev, state, page_to_phys(page), off, PAGE_SIZE, DMA_TO_DEVICE, attrs);
}

static int example_link_plain(struct device *dev, struct dma_iova_state *state, struct page *page,
			      struct pci_p2pdma_map_state *p2p, size_t off)
{
	if (pci_p2pdma_state(p2p, dev, page) == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE)
		/* ruleid: R7(error) */
		return dma_iova_link(dev, state, page_to_phys(page), off, PAGE_SIZE, DMA_TO_DEVICE, 0);
	return -EREMOTEIO;
}
