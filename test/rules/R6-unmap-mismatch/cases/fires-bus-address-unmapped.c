// R6 fires when a bus address reaches an unmap: the result of pci_p2pdma_bus_addr_map(), the
// BUS_ADDR arm of a map-type switch, an entry for which sg_dma_is_bus_address() holds.
// kernel-version: 6.19
static int example_map_range(struct device *dev, struct pci_p2pdma_map_state *p2p, struct page *page,
			     phys_addr_t paddr, size_t len, struct example_cmd *cmd)
{
	dma_addr_t addr;

	if (p2p->map == PCI_P2PDMA_MAP_BUS_ADDR)
		addr = pci_p2pdma_bus_addr_map(p2p, paddr);
	else
		addr = dma_map_phys(dev, paddr, len, DMA_TO_DEVICE, 0);
	if (example_submit(cmd, addr, len))
		/* ruleid: R6(error) */
		dma_unmap_phys(dev, addr, len, DMA_TO_DEVICE, 0);
	return 0;
}

static void example_unmap_range(struct device *dev, struct example_cmd *cmd, size_t len)
{
	switch (cmd->map) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		/* ruleid: R6(error) */
		dma_unmap_page(dev, cmd->addr, len, DMA_TO_DEVICE);
		break;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		/* ok: R6 */
		dma_unmap_phys(dev, cmd->addr, len, DMA_TO_DEVICE, DMA_ATTR_MMIO);
		break;
	default:
		/* ok: R6 */
		dma_unmap_phys(dev, cmd->addr, len, DMA_TO_DEVICE, 0);
	}
}

static void example_unmap_entry(struct device *dev, struct scatterlist *sg, struct iommu_domain *domain)
{
	if (sg_dma_is_bus_address(sg))
		/* ruleid: R6(error) */
		iommu_unmap(domain, sg_dma_address(sg), sg_dma_len(sg));
	else
		/* ok: R6 */
		dma_unmap_page(dev, sg_dma_address(sg), sg_dma_len(sg), DMA_TO_DEVICE);
}
