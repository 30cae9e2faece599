// R17 fires (error, once): an importer that accepts peer memory takes sg_page()/sg_virt() from the
// exporter's table (this case was R10's; the spec moved imported dma-buf tables to R17). The walk
// and the sg_virt() are related locations of the one finding.
static const struct dma_buf_attach_ops demo_importer_ops = {
	.allow_peer2peer = true,
	.move_notify = demo_move_notify,
};

static int demo_import(struct dma_buf_attachment *attach, struct page **pages)
{
	struct scatterlist *sg;
	struct sg_table *sgt;
	int i, n = 0;

	sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	for_each_sgtable_sg(sgt, sg, i) {
		// ruleid: R17(error)
		pages[n++] = sg_page(sg);
	}
	/* ok: R17 - the same table: a related location of the finding above */
	memset(sg_virt(sgt->sgl), 0, 64);
	/* ok: R17 - the DMA side of the table is what an importer may use */
	return sg_dma_address(sgt->sgl) ? n : -EIO;
}
