// R16 fires (warning): the notify runs without the reservation lock (the core asserts it); the
// waits are there.
// kernel-version: 7.1
static int bar_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct bar_priv *priv = dmabuf->priv;

	if (!attach->peer2peer || priv->revoked)
		return -ENODEV;
	return 0;
}

static struct sg_table *bar_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct bar_priv *priv = attach->dmabuf->priv;

	return dma_buf_phys_vec_to_sgt(attach, priv->provider, &priv->vec, 1, priv->vec.len, dir);
}

static const struct dma_buf_ops bar_ops = {
	.attach = bar_attach,
	.map_dma_buf = bar_map,
};

void bar_revoke(struct bar_priv *priv)
{
	priv->revoked = true;
	// ruleid: R16(warning)
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	wait_for_completion(&priv->comp);
}
