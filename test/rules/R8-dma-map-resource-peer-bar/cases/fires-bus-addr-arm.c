// R8 fires in the BUS_ADDR arm: the switch-local route needs the bus address, not a mapping.
static int demo_bus_arm(struct p2pdma_provider *provider, struct device *dev, struct pci_dev *pdev,
			size_t len, dma_addr_t *out)
{
	switch (pci_p2pdma_map_type(provider, dev)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		/* ruleid: R8 */
		*out = dma_map_resource(dev, pci_resource_start(pdev, 2), len, DMA_BIDIRECTIONAL, 0);
		return 0;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		/* ok: R8 */
		*out = dma_map_resource(dev, pci_resource_start(pdev, 2), len, DMA_BIDIRECTIONAL, 0);
		return dma_mapping_error(dev, *out);
	default:
		return -EINVAL;
	}
}
