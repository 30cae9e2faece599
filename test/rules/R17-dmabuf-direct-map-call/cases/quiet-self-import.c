// R17 stays quiet: the driver imports a buffer it exported itself, its exporter's map_dma_buf
// builds the table from the buffer's pages (system memory), and only then looks at the pages.
static struct sg_table *qux_map_dma_buf(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct qux_buf *buf = attach->dmabuf->priv;
	struct sg_table *sgt;
	int ret;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table_from_pages(sgt, buf->pages, buf->npages, 0, buf->npages << PAGE_SHIFT, GFP_KERNEL);
	if (ret)
		goto err_free;
	ret = dma_map_sgtable(attach->dev, sgt, dir, 0);
	if (ret)
		goto err_table;
	return sgt;

err_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
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
