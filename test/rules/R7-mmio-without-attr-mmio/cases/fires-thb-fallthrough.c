// R7 fires: the THRU_HOST_BRIDGE arm only records a flag and breaks; the mapping after the switch
// uses attrs that never receive DMA_ATTR_MMIO.
// kernel-version: 6.19
static dma_addr_t example_map_pfn(struct device *dev, struct example_map *map, size_t idx,
				  struct pci_p2pdma_map_state *p2pdma_state)
{
	struct dma_iova_state *state = &map->state;
	struct page *page = hmm_pfn_to_page(map->pfn_list[idx]);
	phys_addr_t paddr = page_to_phys(page);
	unsigned long attrs = 0;
	dma_addr_t dma_addr;
	int ret;

	switch (pci_p2pdma_state(p2pdma_state, dev, page)) {
	case PCI_P2PDMA_MAP_NONE:
		break;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		map->flags[idx] |= EXAMPLE_P2P;
		break;
	case PCI_P2PDMA_MAP_BUS_ADDR:
		return pci_p2pdma_bus_addr_map(p2pdma_state, paddr);
	default:
		return DMA_MAPPING_ERROR;
	}

	if (dma_use_iova(state)) {
		/* ruleid: R7(error) */
		ret = dma_iova_link(dev, state, paddr, idx * PAGE_SIZE, PAGE_SIZE, DMA_BIDIRECTIONAL, attrs);
		if (ret)
			return DMA_MAPPING_ERROR;
		return state->addr + idx * PAGE_SIZE;
	}
	/* ruleid: R7(error) */
	dma_addr = dma_map_phys(dev, paddr, PAGE_SIZE, DMA_BIDIRECTIONAL, attrs);
	return dma_addr;
}
