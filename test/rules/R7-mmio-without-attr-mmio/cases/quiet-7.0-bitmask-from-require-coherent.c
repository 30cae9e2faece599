// 7.0 hmm_dma_map_pfn() form: attrs start from DMA_ATTR_REQUIRE_COHERENT and the
// THRU_HOST_BRIDGE arm ORs in DMA_ATTR_MMIO. The attrs are a bitmask, read on each path: the
// value that reaches the calls holds DMA_ATTR_MMIO where the memory is MMIO. R7 stays quiet.
// kernel-version: 7.0
static dma_addr_t example_hmm_map(struct device *dev, struct dma_iova_state *state,
				  struct pci_p2pdma_map_state *p2p, struct page *page,
				  size_t offset, size_t len, unsigned long *pfn)
{
	unsigned long attrs = DMA_ATTR_REQUIRE_COHERENT;
	phys_addr_t paddr = page_to_phys(page);

	switch (pci_p2pdma_state(p2p, dev, page)) {
	case PCI_P2PDMA_MAP_NONE:
		break;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		attrs |= DMA_ATTR_MMIO;
		*pfn |= HMM_PFN_P2PDMA;
		break;
	case PCI_P2PDMA_MAP_BUS_ADDR:
		*pfn |= HMM_PFN_P2PDMA_BUS | HMM_PFN_DMA_MAPPED;
		return pci_p2pdma_bus_addr_map(p2p, paddr);
	default:
		return DMA_MAPPING_ERROR;
	}

	if (dma_use_iova(state)) {
		/* ok: R7 */
		if (dma_iova_link(dev, state, paddr, offset, len, DMA_BIDIRECTIONAL, attrs))
			return DMA_MAPPING_ERROR;
		return state->addr + offset;
	}
	/* ok: R7 */
	return dma_map_phys(dev, paddr, len, DMA_BIDIRECTIONAL, attrs);
}
