// R8 stays quiet: DMA-engine FIFOs (non-PCI MMIO) and a device mapping its own BAR.
static int demo_dmaengine_config(struct dma_chan *chan, struct platform_device *pdev)
{
	struct resource *res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	dma_addr_t fifo;

	/* ok: R8 */
	fifo = dma_map_resource(chan->device->dev, res->start + 0x40, 4, DMA_TO_DEVICE, 0);
	return dma_mapping_error(chan->device->dev, fifo);
}

static int demo_self_dma(struct pci_dev *pdev)
{
	dma_addr_t own;

	/* ok: R8 */
	own = dma_map_resource(&pdev->dev, pci_resource_start(pdev, 0), SZ_4K, DMA_FROM_DEVICE, 0);
	return dma_mapping_error(&pdev->dev, own);
}

struct demo_dev {
	struct device *dev;
	u64 bar_start;
};

static dma_addr_t demo_own_field(struct demo_dev *ddev)
{
	/* ok: R8 */
	return dma_map_resource(ddev->dev, ddev->bar_start, SZ_4K, DMA_FROM_DEVICE, 0);
}

static dma_addr_t demo_plain_phys(struct device *dev, phys_addr_t fifo_phys)
{
	/* ok: R8 */
	return dma_map_resource(dev, fifo_phys, 4, DMA_TO_DEVICE, 0);
}
