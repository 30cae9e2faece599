// R16 fires (error): the revoke waits for the fences but not for the importers' unmaps before the
// BAR goes away (the uverbs exporter needed both: "This will need the same wait ...").
// kernel-version: 7.0
static int bar_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct bar_priv *priv = dmabuf->priv;

	if (!attach->peer2peer)
		return -EOPNOTSUPP;
	if (priv->revoked)
		return -ENODEV;
	return 0;
}

static struct sg_table *bar_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct bar_priv *priv = attach->dmabuf->priv;

	return dma_buf_phys_vec_to_sgt(attach, priv->provider, &priv->vec, 1, priv->vec.len, dir);
}

static int bar_pin(struct dma_buf_attachment *attach)
{
	return -EOPNOTSUPP;
}

static const struct dma_buf_ops bar_ops = {
	.attach = bar_attach,
	.pin = bar_pin,
	.map_dma_buf = bar_map,
};

void bar_entry_remove(struct bar_priv *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	// ruleid: R16(error)
	dma_buf_move_notify(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
	pci_iounmap(priv->pdev, priv->bar);
}
