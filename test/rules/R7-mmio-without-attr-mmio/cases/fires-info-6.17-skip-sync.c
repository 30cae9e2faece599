// On 6.16-6.17 the IOVA path has no DMA_ATTR_MMIO: R7 reports THRU_HOST_BRIDGE handled with
// DMA_ATTR_SKIP_CPU_SYNC as one info at the marker line (the link call is a related location, not
// a second finding), and stays quiet on calls that pass no attribute at all.
// kernel-version: 6.17
static int example_link(struct device *dev, struct dma_iova_state *state, struct page *page,
			struct pci_p2pdma_map_state *p2p, size_t off)
{
	unsigned long attrs = 0;

	switch (pci_p2pdma_state(p2p, dev, page)) {
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		/* ruleid: R7(info) */
		attrs |= DMA_ATTR_SKIP_CPU_SYNC;
		break;
	case PCI_P2PDMA_MAP_NONE:
		break;
	default:
		return -EREMOTEIO;
	}
	/* ok: R7 - related location of the marker's note */
	return dma_iova_link(dev, state, page_to_phys(page), off, PAGE_SIZE, DMA_TO_DEVICE, attrs);
}

static int example_link_plain(struct device *dev, struct dma_iova_state *state, struct page *page,
			      struct pci_p2pdma_map_state *p2p, size_t off)
{
	if (pci_p2pdma_state(p2p, dev, page) == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE)
		/* ok: R7 - nothing better exists before 6.18 */
		return dma_iova_link(dev, state, page_to_phys(page), off, PAGE_SIZE, DMA_TO_DEVICE, 0);
	return -EREMOTEIO;
}
