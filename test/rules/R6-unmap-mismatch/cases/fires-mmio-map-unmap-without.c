// R6 fires on 6.18+: the map side passes DMA_ATTR_MMIO, the unmap that mirrors it passes 0 or no
// attribute (dma_unmap_phys() here, dma_iova_destroy() on the same IOVA state in another function).
// kernel-version: 6.19
struct example_dma {
	struct dma_iova_state state;
	dma_addr_t addr;
	size_t len;
};

static int example_map_mmio(struct device *dev, struct example_dma *dma, phys_addr_t phys, size_t len, bool iova)
{
	unsigned long attrs = DMA_ATTR_MMIO;

	if (iova) {
		if (dma_iova_link(dev, &dma->state, phys, 0, len, DMA_TO_DEVICE, attrs))
			return -EIO;
		return dma_iova_sync(dev, &dma->state, 0, len);
	}
	dma->addr = dma_map_phys(dev, phys, len, DMA_TO_DEVICE, attrs);
	if (dma_mapping_error(dev, dma->addr))
		return -EIO;
	if (example_post(dev, dma))
		goto err_unmap;
	return 0;
err_unmap:
	/* ruleid: R6 */
	dma_unmap_phys(dev, dma->addr, len, DMA_TO_DEVICE, 0);
	return -EIO;
}

static void example_unmap_mmio(struct device *dev, struct example_dma *dma)
{
	/* ruleid: R6 */
	dma_iova_destroy(dev, &dma->state, dma->len,
			 DMA_TO_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
}
