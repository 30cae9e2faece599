// R17 fires (warning): the importer builds a page array by walking the CPU list of the imported
// table; with a phys_vec exporter orig_nents is 0 and the loop sees nothing.
static int qux_collect(struct dma_buf_attachment *attach, struct qux_buf *buf)
{
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(attach, DMA_TO_DEVICE);
	struct scatterlist *sg;
	int i, n = 0;

	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	// ruleid: R17(warning)
	for_each_sgtable_sg(sgt, sg, i) {
		buf->addrs[n] = sg_dma_address(sg);
		buf->lens[n++] = sg_dma_len(sg);
	}
	buf->sgt = sgt;
	return n;
}
