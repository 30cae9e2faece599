// R16 stays quiet: a dynamic exporter of device memory notifies its importers when TTM moves the
// buffer (a migration, not a revoke: no revoked state, no teardown); the spec leaves migration out
// of scope ("Dynamic callers can often use just the first" wait).
// kernel-version: 7.1
static int vram_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	if (!attach->peer2peer)
		return -EOPNOTSUPP;
	return 0;
}

static struct sg_table *vram_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct vram_bo *bo = attach->dmabuf->priv;
	struct sg_table *sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);

	if (!sgt || sg_alloc_table(sgt, 1, GFP_KERNEL))
		return ERR_PTR(-ENOMEM);
	sg_dma_address(sgt->sgl) = dma_map_resource(attach->dev, bo->bar_phys + bo->offset, bo->size, dir, 0);
	sg_dma_len(sgt->sgl) = bo->size;
	return sgt;
}

/* ok: R16 */
static const struct dma_buf_ops vram_dmabuf_ops = {
	.attach = vram_attach,
	.map_dma_buf = vram_map,
};

void vram_bo_move_notify(struct vram_bo *bo, struct ttm_resource *new_mem)
{
	bo->offset = new_mem->start << PAGE_SHIFT;
	dma_resv_assert_held(bo->dmabuf->resv);
	/* ok: R16 */
	dma_buf_invalidate_mappings(bo->dmabuf);
}
