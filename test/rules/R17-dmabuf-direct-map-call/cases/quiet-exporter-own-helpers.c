// R17 stays quiet: an exporter's ops call its own helpers by name, and its map builds the
// table it exports (the CPU list of its own pages is its business).
static struct sg_table *qux_build_table(struct qux_buf *buf, struct device *dev, enum dma_data_direction dir)
{
	struct sg_table *sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	struct scatterlist *sg;
	int i;

	if (!sgt || sg_alloc_table(sgt, buf->npages, GFP_KERNEL))
		return ERR_PTR(-ENOMEM);
	/* ok: R17 */
	for_each_sgtable_sg(sgt, sg, i)
		sg_set_page(sg, buf->pages[i], PAGE_SIZE, 0);
	dma_map_sgtable(dev, sgt, dir, 0);
	return sgt;
}

static struct sg_table *qux_map_dma_buf(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	/* ok: R17 */
	return qux_build_table(attach->dmabuf->priv, attach->dev, dir);
}

static const struct dma_buf_ops qux_dmabuf_ops = {
	.map_dma_buf = qux_map_dma_buf,
};
