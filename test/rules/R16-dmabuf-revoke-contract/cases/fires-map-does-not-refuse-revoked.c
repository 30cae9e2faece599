// R16 fires (warning): the exporter revokes correctly but maps again after the revoke.
// kernel-version: 7.1
static int bar_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	if (!attach->peer2peer)
		return -EOPNOTSUPP;
	return 0;
}

// ruleid: R16(warning)
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
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
	wait_for_completion(&priv->comp);
}
