// R2 stays quiet on platform (non-PCI) MMIO: ioremap() of a platform resource is not a PCI BAR
// (global trap 5); ioremap() of pci_resource_start() is.
static int demo_platform_probe(struct platform_device *pdev, struct demo *d)
{
	void __iomem *regs = devm_platform_ioremap_resource(pdev, 0);
	struct resource *res = platform_get_resource(pdev, IORESOURCE_MEM, 1);
	void __iomem *fifo = devm_ioremap(&pdev->dev, res->start, resource_size(res));

	/* ok: R2 - platform MMIO */
	d->a = dma_map_single(&pdev->dev, (void *)regs, SZ_4K, DMA_TO_DEVICE);
	/* ok: R2 - ioremap of a platform resource */
	d->b = dma_map_single(&pdev->dev, (void *)fifo, SZ_4K, DMA_TO_DEVICE);
	return 0;
}

static int demo_pci_probe(struct pci_dev *pdev, struct demo *d, struct device *peer)
{
	void __iomem *bar = ioremap(pci_resource_start(pdev, 2), SZ_4K);

	/* ruleid: R2 */
	d->c = dma_map_single(peer, (void *)bar, SZ_4K, DMA_TO_DEVICE);
	return 0;
}
