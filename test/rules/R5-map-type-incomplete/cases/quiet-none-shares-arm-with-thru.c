// R5 stays quiet: NONE shares an arm with THRU_HOST_BRIDGE and DMA_ATTR_MMIO is added separately.
// kernel-version: 6.18
static int shared_arm(struct foo_ctx *ctx, struct page *page, phys_addr_t phys, size_t len)
{
	unsigned long attrs = 0;
	int type = pci_p2pdma_state(&ctx->state, ctx->dev, page);

	if (type == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE)
		attrs |= DMA_ATTR_MMIO;

	switch (type) {
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
	case PCI_P2PDMA_MAP_NONE:
		// ok: R5
		ctx->addr = dma_map_phys(ctx->dev, phys, len, DMA_TO_DEVICE, attrs);
		return dma_mapping_error(ctx->dev, ctx->addr);
	case PCI_P2PDMA_MAP_BUS_ADDR:
		ctx->addr = pci_p2pdma_bus_addr_map(&ctx->state, phys);
		return 0;
	default:
		return -EREMOTEIO;
	}
}
