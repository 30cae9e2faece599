// R16 fires (error) before 6.19 too: a dma_map_resource() exporter of a PCI BAR (habanalabs
// style) that never tests attach->peer2peer. Only this bullet applies before 6.19.
// kernel-version: 6.8
static struct sg_table *bar_map_dmabuf(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct bar_buf *buf = attach->dmabuf->priv;
	struct sg_table *sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	dma_addr_t addr;

	if (!sgt || sg_alloc_table(sgt, 1, GFP_KERNEL))
		return ERR_PTR(-ENOMEM);
	addr = dma_map_resource(attach->dev, pci_resource_start(buf->pdev, buf->bar) + buf->offset,
				buf->size, dir, DMA_ATTR_SKIP_CPU_SYNC);
	sg_dma_address(sgt->sgl) = addr;
	sg_dma_len(sgt->sgl) = buf->size;
	return sgt;
}

static const struct dma_buf_ops bar_dmabuf_ops = {
	// ruleid: R16(error)
	.map_dma_buf = bar_map_dmabuf,
};

void bar_revoke(struct bar_buf *buf)
{
	dma_resv_lock(buf->dmabuf->resv, NULL);
	/* ok: R16 - before 6.19 only the peer2peer bullet applies */
	dma_buf_move_notify(buf->dmabuf);
	dma_resv_unlock(buf->dmabuf->resv);
}
