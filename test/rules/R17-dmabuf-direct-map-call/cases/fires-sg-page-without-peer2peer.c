// R17 fires (warning): sg_page() on an imported table of an importer that does not allow
// peer2peer: no peer exporter reaches it today, but importers must never rely on struct pages.
static int qux_first_page(struct dma_buf_attachment *attach, struct page **out)
{
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(attach, DMA_TO_DEVICE);

	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	// ruleid: R17(warning)
	*out = sg_page(sgt->sgl);
	return 0;
}
