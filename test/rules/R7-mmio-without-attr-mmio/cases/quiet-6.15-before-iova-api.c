// Before 6.16 there is no IOVA/phys mapping API with attrs for P2P: R7 stays quiet.
// (The same code as fires-info-6.17-skip-sync.c.)
// kernel-version: 6.15
static int example_link(struct device *dev, struct dma_iova_state *state, struct page *page,
			struct pci_p2pdma_map_state *p2p, size_t off)
{
	unsigned long attrs = 0;

	switch (pci_p2pdma_state(p2p, dev, page)) {
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		/* ok: R7 */
		attrs |= DMA_ATTR_SKIP_CPU_SYNC;
		break;
	case PCI_P2PDMA_MAP_NONE:
		break;
	default:
		return -EREMOTEIO;
	}
	/* ok: R7 */
	return dma_iova_link(dev, state, page_to_phys(page), off, PAGE_SIZE, DMA_TO_DEVICE, attrs);
}

static int example_link_plain(struct device *dev, struct dma_iova_state *state, struct page *page,
			      struct pci_p2pdma_map_state *p2p, size_t off)
{
	if (pci_p2pdma_state(p2p, dev, page) == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE)
		/* ok: R7 */
		return dma_iova_link(dev, state, page_to_phys(page), off, PAGE_SIZE, DMA_TO_DEVICE, 0);
	return -EREMOTEIO;
}
