// Attrs are a bitmask: `attrs & ~DMA_ATTR_MMIO` passes the caller's attributes without the MMIO
// bit, so the host-bridge range is mapped as RAM although the caller marked it.
// kernel-version: 6.19
static dma_addr_t example_map_thb(struct device *dev, struct pci_p2pdma_map_state *p2p,
				  struct page *page, size_t len, unsigned long attrs)
{
	switch (pci_p2pdma_state(p2p, dev, page)) {
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		/* ruleid: R7(error) */
		return dma_map_phys(dev, page_to_phys(page), len, DMA_TO_DEVICE,
				    attrs & ~(DMA_ATTR_MMIO | DMA_ATTR_NO_WARN));
	case PCI_P2PDMA_MAP_NONE:
		return dma_map_phys(dev, page_to_phys(page), len, DMA_TO_DEVICE, attrs);
	default:
		return DMA_MAPPING_ERROR;
	}
}
