// R5 fires: PCI_P2PDMA_MAP_NOT_SUPPORTED reaches a mapping call inside the decision.
// kernel-version: 6.19
static int exp_map_one(struct exp_buf *buf, struct dma_buf_attachment *attach,
		       struct phys_vec *vec, dma_addr_t *addr)
{
	if (pci_p2pdma_map_type(buf->provider, attach->dev) == PCI_P2PDMA_MAP_BUS_ADDR) {
		*addr = pci_p2pdma_bus_addr_map(buf->provider, vec->paddr);
		return 0;
	} else {
		// ruleid: R5(error)
		*addr = dma_map_phys(attach->dev, vec->paddr, vec->len,
				     DMA_BIDIRECTIONAL, DMA_ATTR_MMIO);
	}
	return dma_mapping_error(attach->dev, *addr);
}

#define FOO_ATTRS (DMA_ATTR_MMIO | DMA_ATTR_SKIP_CPU_SYNC)

static dma_addr_t foo_map_default(struct foo_ctx *ctx, struct page *page, size_t len)
{
	switch (pci_p2pdma_state(&ctx->state, ctx->dev, page)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		return pci_p2pdma_bus_addr_map(&ctx->state, page_to_phys(page));
	case PCI_P2PDMA_MAP_NONE:
		return dma_map_phys(ctx->dev, page_to_phys(page), len, DMA_TO_DEVICE, 0);
	default:
		/* THRU_HOST_BRIDGE, and NOT_SUPPORTED with it */
		// ruleid: R5(error)
		return dma_map_phys(ctx->dev, page_to_phys(page), len,
				    DMA_TO_DEVICE, FOO_ATTRS);
	}
}
