// R6 stays quiet when the unmap passes DMA_ATTR_MMIO like the map (directly, or through a local set
// from a flag recorded at map time), and in the arm where the recorded flag says "not MMIO".
// kernel-version: 6.19
static int example_map(struct device *dev, struct example_dma *dma, phys_addr_t phys, size_t len)
{
	dma->addr = dma_map_phys(dev, phys, len, DMA_TO_DEVICE, DMA_ATTR_MMIO);
	return dma_mapping_error(dev, dma->addr);
}

static void example_unmap(struct device *dev, struct example_dma *dma, struct request *req)
{
	unsigned int attrs = 0;

	if (req->cmd_flags & REQ_MMIO)
		attrs |= DMA_ATTR_MMIO;
	/* ok: R6 */
	dma_unmap_phys(dev, dma->addr, dma->len, DMA_TO_DEVICE, attrs);
	if (dma->flags & EXAMPLE_DMA_MMIO)
		/* ok: R6 */
		dma_unmap_phys(dev, dma->addr, dma->len, DMA_TO_DEVICE, DMA_ATTR_MMIO);
	else
		/* ok: R6 */
		dma_unmap_phys(dev, dma->addr, dma->len, DMA_TO_DEVICE, 0);
}
