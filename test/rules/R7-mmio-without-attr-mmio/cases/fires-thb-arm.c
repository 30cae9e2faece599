// R7 fires on 6.18+: the THRU_HOST_BRIDGE arm maps (and unmaps) the peer range as ordinary memory.
// kernel-version: 6.18
static dma_addr_t map_peer_range(struct device *dev, struct pci_p2pdma_map_state *p2p,
				 struct page *page, phys_addr_t paddr, size_t len,
				 enum dma_data_direction dir)
{
	dma_addr_t addr;

	switch (pci_p2pdma_state(p2p, dev, page)) {
	case PCI_P2PDMA_MAP_NONE:
		/* ok: R7 - host memory */
		return dma_map_phys(dev, paddr, len, dir, 0);
	case PCI_P2PDMA_MAP_BUS_ADDR:
		return pci_p2pdma_bus_addr_map(p2p, paddr);
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		/* ruleid: R7(error) */
		addr = dma_map_phys(dev, paddr,
				    len, dir,
				    0);
		if (dma_mapping_error(dev, addr))
			/* ruleid: R7(error) */
			dma_unmap_phys(dev, addr, len, dir, DMA_ATTR_NO_WARN);
		return addr;
	default:
		return DMA_MAPPING_ERROR;
	}
}

/* The same decision written as a comparison. */
static int link_peer_range(struct device *dev, struct dma_iova_state *state,
			   enum pci_p2pdma_map_type type, phys_addr_t paddr, size_t len)
{
	if (type == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE)
		/* ruleid: R7(error) */
		return dma_iova_link(dev, state, paddr, 0, len, DMA_TO_DEVICE, 0);
	if (type != PCI_P2PDMA_MAP_NONE)
		return -EREMOTEIO;
	/* ok: R7 - the remaining memory is host memory */
	return dma_iova_link(dev, state, paddr, 0, len, DMA_TO_DEVICE, 0);
}
