// R4 stays quiet: the exporter maps host pages, not provider memory.
// kernel-version: 6.8
static struct sg_table *sys_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct sys_buf *buf = attach->dmabuf->priv;
	struct page *page = alloc_page(GFP_KERNEL);
	dma_addr_t addr;

	// ok: R4
	addr = dma_map_page(attach->dev, page, 0, PAGE_SIZE, dir);
	sg_dma_address(buf->sgt.sgl) = addr;
	return &buf->sgt;
}

static const struct dma_buf_ops sys_dmabuf_ops = {
	// ok: R4
	.map_dma_buf = sys_map,
};
