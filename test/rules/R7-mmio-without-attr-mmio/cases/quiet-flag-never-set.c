// R7 stays quiet: a driver flag tested before the unmap, but nothing in sight says what it
// records (it is never set in the patch, and no call it chooses passes DMA_ATTR_MMIO). A flag's
// name is no evidence: EXAMPLE_PFN_P2PDMA could as well mean "the peer asked for this page".
// kernel-version: 6.18
static void example_unmap_pfn(struct device *dev, struct example_map *map, size_t idx)
{
	unsigned long attrs = 0;

	if (map->pfns[idx] & EXAMPLE_PFN_P2PDMA) {
		/* ok: R7 */
		attrs |= DMA_ATTR_SKIP_CPU_SYNC;
		/* ok: R7 */
		dma_unmap_phys(dev, map->dma_list[idx], PAGE_SIZE, DMA_BIDIRECTIONAL, attrs);
		return;
	}
	/* ok: R7 */
	dma_unmap_phys(dev, map->dma_list[idx], PAGE_SIZE, DMA_BIDIRECTIONAL, attrs);
}
