// R7 stays quiet on dma_map_resource()/dma_unmap_resource(): they map MMIO by definition (R8 judges
// whether they fit P2P).
// kernel-version: 6.19
static dma_addr_t example_fifo(struct device *dev, struct pci_dev *pdev, size_t len)
{
	/* ok: R7 - dma_map_resource() is the MMIO mapping call */
	return dma_map_resource(dev, pci_resource_start(pdev, 0), len, DMA_TO_DEVICE, 0);
}

static void example_fifo_done(struct device *dev, dma_addr_t addr, size_t len)
{
	/* ok: R7 */
	dma_unmap_resource(dev, addr, len, DMA_TO_DEVICE,
			   DMA_ATTR_SKIP_CPU_SYNC);
}
