// R17 fires on a "self-import" whose exporter is not known to hand out system memory: the
// driver's own map_dma_buf exports its BAR through dma_buf_phys_vec_to_sgt() (a CPU list of
// NULL pages) or builds its table from p2pmem, or the ops' map_dma_buf is not shown, so the
// ops test proves nothing about pages.
// kernel-version: 6.19
static struct sg_table *zed_map_dma_buf(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct zed_region *region = attach->dmabuf->priv;

	return dma_buf_phys_vec_to_sgt(attach, region->provider, region->phys_vec, region->nr_ranges,
				       region->size, dir);
}

static const struct dma_buf_ops zed_bar_dmabuf_ops = {
	.map_dma_buf = zed_map_dma_buf,
};

static struct sg_table *zed_p2p_map_dma_buf(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct zed_region *region = attach->dmabuf->priv;
	struct sg_table *sgt = &region->sgt;
	void *va = pci_alloc_p2pmem(region->pdev, region->size);

	if (!va || sg_alloc_table(sgt, 1, GFP_KERNEL))
		return ERR_PTR(-ENOMEM);
	sg_set_buf(sgt->sgl, va, region->size);
	if (dma_map_sgtable(attach->dev, sgt, dir, 0))
		return ERR_PTR(-EIO);
	return sgt;
}

static const struct dma_buf_ops zed_p2p_dmabuf_ops = {
	.map_dma_buf = zed_p2p_map_dma_buf,
};

static const struct dma_buf_ops zed_other_dmabuf_ops = {
	.map_dma_buf = zed_other_map_dma_buf,
};

static int zed_import_bar(struct dma_buf *dmabuf, struct dma_buf_attachment *attach, struct page **pages)
{
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(attach, DMA_TO_DEVICE);

	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	if (dmabuf->ops == &zed_bar_dmabuf_ops)
		/* ruleid: R17(warning) */
		pages[0] = sg_page(sgt->sgl);
	return 0;
}

static int zed_import_other(struct dma_buf *dmabuf, struct dma_buf_attachment *attach, struct page **pages)
{
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(attach, DMA_TO_DEVICE);

	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	if (dmabuf->ops == &zed_other_dmabuf_ops)
		/* ruleid: R17(warning) */
		pages[0] = sg_page(sgt->sgl);
	return 0;
}

static int zed_import_p2p(struct dma_buf *dmabuf, struct dma_buf_attachment *attach, struct page **pages)
{
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(attach, DMA_TO_DEVICE);

	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	if (dmabuf->ops == &zed_p2p_dmabuf_ops)
		/* ruleid: R17(warning) */
		pages[0] = sg_page(sgt->sgl);
	return 0;
}
