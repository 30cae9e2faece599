// R18 stays quiet when the attrs parameter of the patch's mapping helper gets
// DMA_ATTR_REQUIRE_COHERENT only from the call that hands in pinned user pages, and the
// kernel buffer is mapped through the same helper without it; and on folio_to_phys() of a
// folio of pinned user memory.
// kernel-version: 7.0
static int demo_map_pages(struct demo_dev *dd, struct sg_table *sgt, unsigned long attrs)
{
	int ret;

	ret = dma_map_sgtable(dd->dev, sgt, DMA_BIDIRECTIONAL, attrs);
	if (ret)
		return ret;
	dd->mapped = true;
	return 0;
}

static int demo_reg_user(struct demo_dev *dd, unsigned long uaddr, int npages, struct page **pages)
{
	int ret;

	ret = pin_user_pages_fast(uaddr, npages, FOLL_WRITE | FOLL_LONGTERM, pages);
	if (ret != npages)
		return -EFAULT;
	ret = sg_alloc_table_from_pages(&dd->user_sgt, pages, npages, 0, npages * PAGE_SIZE, GFP_KERNEL);
	if (ret)
		return ret;
	// ok: R18
	return demo_map_pages(dd, &dd->user_sgt, DMA_ATTR_REQUIRE_COHERENT);
}

static int demo_reg_kernel(struct demo_dev *dd, size_t len)
{
	void *buf = kzalloc(len, GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = sg_alloc_table(&dd->kern_sgt, 1, GFP_KERNEL);
	if (ret)
		return ret;
	sg_set_buf(dd->kern_sgt.sgl, buf, len);
	// ok: R18
	return demo_map_pages(dd, &dd->kern_sgt, 0);
}

static dma_addr_t demo_map_user_folio(struct demo_dev *dd, unsigned long uaddr)
{
	struct page *page;

	if (pin_user_pages_fast(uaddr, 1, FOLL_WRITE | FOLL_LONGTERM, &page) != 1)
		return DMA_MAPPING_ERROR;
	// ok: R18
	return dma_map_phys(dd->dev, folio_to_phys(page_folio(page)), PAGE_SIZE, DMA_BIDIRECTIONAL,
			    DMA_ATTR_REQUIRE_COHERENT);
}
