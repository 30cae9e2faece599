// R17 stays quiet: the driver imports a buffer it exported itself from system memory, and only
// then looks at the pages.
static struct sg_table *qux_map_dma_buf(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct qux_buf *buf = attach->dmabuf->priv;

	dma_map_sgtable(attach->dev, buf->sgt, dir, 0);
	return buf->sgt;
}

static const struct dma_buf_ops qux_dmabuf_ops = {
	.map_dma_buf = qux_map_dma_buf,
};

static int qux_import_pages(struct dma_buf *dmabuf, struct dma_buf_attachment *attach, struct page **pages)
{
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(attach, DMA_TO_DEVICE);

	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	if (dmabuf->ops == &qux_dmabuf_ops)
		/* ok: R17 */
		pages[0] = sg_page(sgt->sgl);
	return 0;
}
