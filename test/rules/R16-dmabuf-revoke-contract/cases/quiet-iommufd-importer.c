// R16 stays quiet: an iommufd-style importer pins (7.1: allowed because it is revocable) and its
// invalidate op fences access itself; it holds no scatterlist.
// kernel-version: 7.1
static void iopt_like_invalidate(struct dma_buf_attachment *attach)
{
	struct iopt_like *area = attach->importer_priv;

	area->revoked = true;
	iopt_like_unmap_domain(area);
}

/* ok: R16 */
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
