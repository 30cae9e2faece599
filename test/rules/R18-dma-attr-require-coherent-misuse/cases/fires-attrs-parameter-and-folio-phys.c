// R18 fires when DMA_ATTR_REQUIRE_COHERENT reaches the mapping through the attrs parameter of
// the patch's own mapping helper: the call that passes it is the decision point, with the
// kernel buffer it hands in (kzalloc) or the helper's own allocation. folio_to_phys() of a
// folio_alloc() folio is kernel memory as well. A buffer from a field, in a file that takes no
// user memory, is a warning.
// kernel-version: 7.0
static int demo_map_buf(struct demo_dev *dd, void *buf, size_t len, unsigned long attrs)
{
	dd->ring_dma = dma_map_single_attrs(dd->dev, buf, len, DMA_TO_DEVICE, attrs);
	if (dma_mapping_error(dd->dev, dd->ring_dma))
		return -ENOMEM;
	dd->ring_len = len;
	return 0;
}

static int demo_setup_ring(struct demo_dev *dd)
{
	void *ring = kzalloc(DEMO_RING_SIZE, GFP_KERNEL);

	if (!ring)
		return -ENOMEM;
	dd->ring = ring;
	// ruleid: R18(error)
	return demo_map_buf(dd, ring, DEMO_RING_SIZE, DMA_ATTR_REQUIRE_COHERENT | DMA_ATTR_SKIP_CPU_SYNC);
}

static int demo_map_scratch(struct demo_dev *dd, size_t len, unsigned long attrs)
{
	struct page *page = alloc_pages(GFP_KERNEL, get_order(len));
	unsigned long map_attrs = attrs | DMA_ATTR_NO_WARN;

	if (!page)
		return -ENOMEM;
	dd->scratch_dma = dma_map_page_attrs(dd->dev, page, 0, len, DMA_FROM_DEVICE, map_attrs);
	if (dma_mapping_error(dd->dev, dd->scratch_dma)) {
		__free_pages(page, get_order(len));
		return -ENOMEM;
	}
	return 0;
}

static int demo_init_scratch(struct demo_dev *dd)
{
	// ruleid: R18(error)
	return demo_map_scratch(dd, PAGE_SIZE, DMA_ATTR_REQUIRE_COHERENT);
}

static int demo_map_folio(struct demo_dev *dd, unsigned int order)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, order);

	if (!folio)
		return -ENOMEM;
	// ruleid: R18(error)
	dd->folio_dma = dma_map_phys(dd->dev, folio_to_phys(folio), folio_size(folio), DMA_FROM_DEVICE,
				     DMA_ATTR_REQUIRE_COHERENT);
	if (dma_mapping_error(dd->dev, dd->folio_dma)) {
		folio_put(folio);
		return -ENOMEM;
	}
	return 0;
}

static int demo_map_firmware(struct demo_dev *dd)
{
	/* the buffer comes from a field set elsewhere, and the file pins no user memory */
	// ruleid: R18(warning)
	return demo_map_buf(dd, dd->fw_buf, dd->fw_len, DMA_ATTR_REQUIRE_COHERENT);
}
