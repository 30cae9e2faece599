// R7 stays quiet in the BUS_ADDR and NONE arms, and with DMA_ATTR_MMIO (directly, through a local,
// or added to).
// kernel-version: 6.19
static dma_addr_t example_route(struct device *dev, struct p2pdma_provider *provider, struct phys_vec *vec,
				struct dma_iova_state *state, size_t len)
{
	unsigned long attrs = 0;
	dma_addr_t addr;

	switch (pci_p2pdma_map_type(provider, dev)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		return pci_p2pdma_bus_addr_map(provider, vec->paddr);
	case PCI_P2PDMA_MAP_NONE:
		/* ok: R7 */
		return dma_map_phys(dev, vec->paddr, len, DMA_TO_DEVICE, 0);
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		attrs |= DMA_ATTR_MMIO | DMA_ATTR_SKIP_CPU_SYNC;
		break;
	default:
		return DMA_MAPPING_ERROR;
	}
	if (dma_use_iova(state)) {
		/* ok: R7 */
		if (dma_iova_link(dev, state, vec->paddr, 0, len, DMA_TO_DEVICE, attrs))
			return DMA_MAPPING_ERROR;
		return state->addr;
	}
	/* ok: R7 */
	addr = dma_map_phys(dev, vec->paddr, len, DMA_TO_DEVICE, attrs);
	return addr;
}

static void example_unroute(struct device *dev, struct dma_iova_state *state, struct phys_vec *vec,
			    dma_addr_t addr, size_t len)
{
	/* ok: R7 */
	dma_iova_destroy(dev, state, len, DMA_TO_DEVICE, DMA_ATTR_MMIO);
	/* ok: R7 */
	dma_unmap_phys(dev, addr, len, DMA_TO_DEVICE,
		       DMA_ATTR_MMIO);
}

static dma_addr_t example_sync_skip(struct device *dev, phys_addr_t phys, size_t len, unsigned long attrs)
{
	if (attrs & DMA_ATTR_MMIO)
		/* ok: R7 - added on top of DMA_ATTR_MMIO, not instead of it */
		attrs |= DMA_ATTR_SKIP_CPU_SYNC;
	return dma_map_phys(dev, phys, len, DMA_TO_DEVICE, attrs);
}
