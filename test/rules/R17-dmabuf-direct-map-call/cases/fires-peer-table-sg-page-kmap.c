// R17 fires (error): an importer that accepts peer memory takes the pages of the imported table
// and kmaps them; one finding for the table, at the first CPU access, the walk and the kmap related.
static const struct dma_buf_attach_ops qux_importer_ops = {
	.allow_peer2peer = true,
	.invalidate_mappings = qux_invalidate,
};

static int qux_copy_in(struct dma_buf_attachment *attach, void *dst, size_t len)
{
	struct scatterlist *sg;
	struct sg_table *sgt;
	unsigned int i;

	sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	for_each_sg(sgt->sgl, sg, sgt->nents, i) {
		// ruleid: R17(error)
		struct page *page = sg_page(sg);
		void *va = kmap_local_page(page);

		memcpy(dst, va + sg->offset, sg->length);
		kunmap_local(va);
		dst += sg->length;
	}
	dma_buf_unmap_attachment_unlocked(attach, sgt, DMA_BIDIRECTIONAL);
	return 0;
}
