// R8 stays quiet: the host-bridge arm of a map-type switch (dma_map_phys with DMA_ATTR_MMIO
// forwards to dma_map_resource legitimately, and so does the older open-coded form).
static int demo_map(struct p2pdma_provider *provider, struct device *dev, struct pci_dev *pdev,
		    phys_addr_t phys, size_t len, dma_addr_t *out)
{
	switch (pci_p2pdma_map_type(provider, dev)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		*out = pci_p2pdma_bus_addr_map(provider, phys);
		return 0;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		/* ok: R8 */
		*out = dma_map_phys(dev, phys, len, DMA_BIDIRECTIONAL, DMA_ATTR_MMIO);
		return dma_mapping_error(dev, *out);
	default:
		return -EINVAL;
	}
}

static int demo_map_old(struct p2pdma_provider *provider, struct device *dev, struct pci_dev *pdev,
			size_t len, dma_addr_t *out)
{
	if (pci_p2pdma_map_type(provider, dev) != PCI_P2PDMA_MAP_THRU_HOST_BRIDGE)
		return -EINVAL;
	/* ok: R8 */
	*out = dma_map_resource(dev, pci_resource_start(pdev, 2), len, DMA_BIDIRECTIONAL, 0);
	return dma_mapping_error(dev, *out);
}

