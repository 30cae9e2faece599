// DMA_ATTR_REQUIRE_COHERENT (7.0) is no substitute for DMA_ATTR_MMIO: used as the host-bridge P2P
// marker it keeps the BAR mapped IOMMU_CACHE. On 6.18+ R7 reports the marker and the map call
// that passes the marked attrs, as it does for DMA_ATTR_SKIP_CPU_SYNC.
// kernel-version: 7.0
static dma_addr_t example_map_range(struct device *dev, struct pci_p2pdma_map_state *p2p,
				    struct page *page, size_t len, enum dma_data_direction dir)
{
	unsigned long attrs = 0;

	switch (pci_p2pdma_state(p2p, dev, page)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		return pci_p2pdma_bus_addr_map(p2p, page_to_phys(page));
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		/* ruleid: R7(error) */
		attrs |= DMA_ATTR_REQUIRE_COHERENT;
		break;
	case PCI_P2PDMA_MAP_NONE:
		break;
	default:
		return DMA_MAPPING_ERROR;
	}
	/* ruleid: R7(error) */
	return dma_map_phys(dev, page_to_phys(page), len, dir, attrs);
}
