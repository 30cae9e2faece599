// R7 fires: the P2P flag the driver recorded at map time selects the unmap, which still passes no
// DMA_ATTR_MMIO; DMA_ATTR_SKIP_CPU_SYNC stands in as the marker.
// kernel-version: 6.18
static void example_record_pfn(struct device *dev, struct example_map *map, size_t idx, struct page *page)
{
	/* the driver's flags mean P2P because of where they are set, not because of their names */
	switch (pci_p2pdma_state(&map->p2pdma_state, dev, page)) {
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		map->pfns[idx] |= EXAMPLE_PFN_P2PDMA;
		break;
	case PCI_P2PDMA_MAP_BUS_ADDR:
		map->pfns[idx] |= EXAMPLE_PFN_P2PDMA_BUS;
		break;
	default:
		break;
	}
}

static void example_unmap_pfn(struct device *dev, struct example_map *map, size_t idx)
{
	unsigned long attrs = 0;

	if (map->pfns[idx] & EXAMPLE_PFN_P2PDMA_BUS)
		/* ok: R7 - bus addresses are not unmapped at all (and not here) */
		return;
	if (map->pfns[idx] & EXAMPLE_PFN_P2PDMA) {
		/* ruleid: R7(error) */
		attrs |= DMA_ATTR_SKIP_CPU_SYNC;
		/* ruleid: R7(warning) */
		dma_unmap_phys(dev, map->dma_list[idx], PAGE_SIZE, DMA_BIDIRECTIONAL, attrs);
		return;
	}
	/* ok: R7 - not P2P */
	dma_unmap_phys(dev, map->dma_list[idx], PAGE_SIZE, DMA_BIDIRECTIONAL, attrs);
}

static void example_link_pfn(struct device *dev, struct dma_iova_state *state, struct example_map *map,
			     size_t idx, enum pci_p2pdma_map_type type)
{
	unsigned long attrs = DMA_ATTR_NO_KERNEL_MAPPING;

	switch (type) {
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		/* ruleid: R7(error) */
		attrs |= DMA_ATTR_SKIP_CPU_SYNC;
		break;
	case PCI_P2PDMA_MAP_NONE:
		/* ok: R7 - skipping syncs of host memory is an ordinary optimisation */
		attrs |= DMA_ATTR_SKIP_CPU_SYNC;
		break;
	default:
		return;
	}
}
