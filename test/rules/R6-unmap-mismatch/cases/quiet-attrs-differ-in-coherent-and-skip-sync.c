// Map and unmap attrs that differ only in DMA_ATTR_REQUIRE_COHERENT or DMA_ATTR_SKIP_CPU_SYNC
// have no functional effect on the unmap: both sides carry DMA_ATTR_MMIO. R6 stays quiet.
// kernel-version: 7.0
static int example_map_bar(struct example_buf *b, struct device *dev, phys_addr_t bar_phys, size_t len)
{
	b->dma = dma_map_phys(dev, bar_phys, len, DMA_BIDIRECTIONAL,
			      DMA_ATTR_MMIO | DMA_ATTR_REQUIRE_COHERENT);
	if (dma_mapping_error(dev, b->dma))
		return -ENOMEM;
	b->len = len;
	return 0;
}

static void example_unmap_bar(struct example_buf *b, struct device *dev)
{
	/* ok: R6 - DMA_ATTR_MMIO mirrors the map; REQUIRE_COHERENT and SKIP_CPU_SYNC do not matter on unmap */
	dma_unmap_phys(dev, b->dma, b->len, DMA_BIDIRECTIONAL, DMA_ATTR_MMIO | DMA_ATTR_SKIP_CPU_SYNC);
}
