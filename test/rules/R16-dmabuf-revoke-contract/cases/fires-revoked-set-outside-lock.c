// R16 fires (warning): the revoked flag that .attach tests is flipped before the reservation
// lock is taken; the notify itself is locked and both waits follow.
// kernel-version: 7.1
static int bar_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct bar_priv *priv = dmabuf->priv;

	if (!attach->peer2peer)
		return -EOPNOTSUPP;
	if (priv->gone)
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
	// ruleid: R16(warning)
	priv->gone = true;
	dma_resv_lock(priv->dmabuf->resv, NULL);
	/* ok: R16 - locked, and both waits follow */
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
	wait_for_completion(&priv->comp);
}
