// R16 stays quiet: a dynamic (non-pinned) peer importer whose invalidate op unmaps (amdgpu/xe/
// mlx5 ODP style), and an iommufd-style pinned importer whose op fences access itself.
// kernel-version: 7.1
static void qux_invalidate(struct dma_buf_attachment *attach)
{
	struct qux_mr *mr = attach->importer_priv;

	qux_hw_zap_ptes(mr);
	dma_buf_unmap_attachment(attach, mr->sgt, DMA_BIDIRECTIONAL);
	mr->sgt = NULL;
}

/* ok: R16 */
static const struct dma_buf_attach_ops qux_attach_ops = {
	.allow_peer2peer = true,
	.invalidate_mappings = qux_invalidate,
};

static void iopt_like_invalidate(struct dma_buf_attachment *attach)
{
	struct iopt_like *area = attach->importer_priv;

	area->revoked = true;
	iopt_like_unmap_domain(area);
}

static const struct dma_buf_attach_ops iopt_like_attach_ops = {
	.allow_peer2peer = true,
	.invalidate_mappings = iopt_like_invalidate,
};

static int iopt_like_pin(struct iopt_like *area, struct dma_buf *dmabuf)
{
	area->attach = dma_buf_dynamic_attach(dmabuf, area->dev, &iopt_like_attach_ops, area);
	if (IS_ERR(area->attach))
		return PTR_ERR(area->attach);
	/* ok: R16 */
	return dma_buf_pin(area->attach);
}
