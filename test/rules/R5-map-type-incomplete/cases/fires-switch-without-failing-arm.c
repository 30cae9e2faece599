// R5 fires: the decision on the map type has no default or NOT_SUPPORTED arm that fails.
// kernel-version: 6.18
static dma_addr_t foo_map_range(struct foo_dev *fdev, struct page *page, phys_addr_t phys,
				size_t len, enum dma_data_direction dir)
{
	struct pci_p2pdma_map_state state = {};
	unsigned long attrs = 0;
	dma_addr_t addr = DMA_MAPPING_ERROR;

	// ruleid: R5(warning)
	switch (pci_p2pdma_state(&state, fdev->dma_dev, page)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		addr = pci_p2pdma_bus_addr_map(&state, phys);
		break;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		attrs |= DMA_ATTR_MMIO;
		fallthrough;
	case PCI_P2PDMA_MAP_NONE:
		addr = dma_map_phys(fdev->dma_dev, phys, len, dir, attrs);
		break;
	}
	return addr;
}

/* The same decision as an if chain on a local: NOT_SUPPORTED is never refused. */
static int bar_map_vec(struct bar_ctx *ctx, struct bio_vec *bv, dma_addr_t *out)
{
	enum pci_p2pdma_map_type type;
	unsigned long attrs = DMA_ATTR_SKIP_CPU_SYNC;

	type = pci_p2pdma_state(&ctx->p2p_state, ctx->dev, bv->bv_page);
	// ruleid: R5(warning)
	if (type == PCI_P2PDMA_MAP_BUS_ADDR) {
		*out = pci_p2pdma_bus_addr_map(&ctx->p2p_state, bvec_phys(bv));
		return 0;
	} else if (type == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE) {
		attrs |= DMA_ATTR_MMIO;
	}
	*out = dma_map_phys(ctx->dev, bvec_phys(bv), bv->bv_len,
			    DMA_TO_DEVICE, attrs);
	return dma_mapping_error(ctx->dev, *out);
}
