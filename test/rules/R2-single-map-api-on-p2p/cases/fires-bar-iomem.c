// R2 fires: ioremap'ed BAR memory and BAR pfns handed to dma_map_single/dma_map_page.
static int peer_map_bar(struct pci_dev *pdev, struct pci_dev *peer)
{
	void __iomem *bar = ioremap(pci_resource_start(pdev, 2), pci_resource_len(pdev, 2));
	dma_addr_t a, b;

	// ruleid: R2
	a = dma_map_single(&peer->dev, (void __force *)bar, SZ_4K, DMA_TO_DEVICE);
	// ruleid: R2
	b = dma_map_page(&peer->dev, pfn_to_page(PHYS_PFN(pci_resource_start(pdev, 4))),
			 0, PAGE_SIZE, DMA_FROM_DEVICE);
	/* ok: R2 - dma_map_resource on a BAR is R8's business */
	b = dma_map_resource(&peer->dev, pci_resource_start(pdev, 4), SZ_4K, DMA_FROM_DEVICE, 0);
	return a && b ? 0 : -EIO;
}
