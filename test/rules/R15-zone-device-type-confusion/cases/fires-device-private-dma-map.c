// R15 fires (error): a page a guard proves device-private is handed to dma_map_*().
static dma_addr_t foo_map_private(struct device *dev, struct page *page)
{
	if (is_device_private_page(page))
		// ruleid: R15(error)
		return dma_map_page(dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	return DMA_MAPPING_ERROR;
}

static int foo_map_range(struct device *dev, struct page **pages, int n, dma_addr_t *dma)
{
	int i;

	for (i = 0; i < n; i++) {
		struct page *page = pages[i];

		if (!is_device_private_page(page))
			continue;
		// ruleid: R15
		dma[i] = dma_map_phys(dev, page_to_phys(page),
				      PAGE_SIZE, DMA_TO_DEVICE, 0);
	}
	return 0;
}
