// R5 stays quiet: a mapping of other memory after the decision is not part of it.
// kernel-version: 6.18
static int cmd_and_data(struct foo_ctx *ctx, struct page *page, void *cmd, size_t len)
{
	int type = pci_p2pdma_state(&ctx->st, ctx->dev, page);

	if (type == PCI_P2PDMA_MAP_NOT_SUPPORTED)
		return -EREMOTEIO;
	if (type == PCI_P2PDMA_MAP_BUS_ADDR)
		ctx->data = pci_p2pdma_bus_addr_map(&ctx->st, page_to_phys(page));
	else
		ctx->data = dma_map_phys(ctx->dev, page_to_phys(page), len, DMA_TO_DEVICE,
					 type == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE ? DMA_ATTR_MMIO : 0);
	// ok: R5
	ctx->cmd_dma = dma_map_single(ctx->dev, cmd, 64, DMA_TO_DEVICE);
	return 0;
}
