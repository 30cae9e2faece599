// R2 fires: pages pinned with FOLL_PCI_P2PDMA reach page/bvec/phys mapping calls without a map-type switch.
// kernel-version: 6.18
static int foo_pin_and_map(struct foo_dev *fdev, unsigned long uaddr, int npages,
			   struct page **pages, dma_addr_t *dma)
{
	unsigned int gup_flags = FOLL_WRITE | FOLL_LONGTERM;
	int i, ret;

	gup_flags |= FOLL_PCI_P2PDMA;
	ret = pin_user_pages_fast(uaddr, npages, gup_flags, pages);
	if (ret < 0)
		return ret;
	for (i = 0; i < ret; i++) {
		// ruleid: R2
		dma[i] = ib_dma_map_page(fdev->ibdev, pages[i], 0, PAGE_SIZE,
					 DMA_BIDIRECTIONAL);
		// ruleid: R2
		dma[i] = dma_map_phys(fdev->dev, page_to_phys(pages[i]), PAGE_SIZE,
				      DMA_TO_DEVICE, 0);
		/* ok: R2 - DMA_ATTR_MMIO is the 6.18 form (R7 judges the rest) */
		dma[i] = dma_map_phys(fdev->dev, page_to_phys(pages[i]), PAGE_SIZE,
				      DMA_TO_DEVICE, DMA_ATTR_MMIO);
	}
	return 0;
}
