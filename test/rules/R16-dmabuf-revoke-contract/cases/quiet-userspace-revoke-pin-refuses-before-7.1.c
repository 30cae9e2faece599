// R16 stays quiet before 7.1: a userspace-triggered revoke, and .pin refuses pinned importers (vfio 6.19-rc8).
// kernel-version: 7.0
/* ok: R16 */
static int bar_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct bar_priv *priv = dmabuf->priv;

	if (!attach->peer2peer)
		return -EOPNOTSUPP;
	if (priv->revoked)
		return -ENODEV;
	return 0;
}

static int bar_pin(struct dma_buf_attachment *attach)
{
	return -EOPNOTSUPP;
}

static struct sg_table *bar_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct bar_priv *priv = attach->dmabuf->priv;

	return dma_buf_phys_vec_to_sgt(attach, priv->provider, &priv->vec, 1, priv->vec.len, dir);
}

static const struct dma_buf_ops bar_ops = {
	.attach = bar_attach,
	.pin = bar_pin,
	.map_dma_buf = bar_map,
};

static void bar_revoke(struct bar_priv *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	dma_buf_move_notify(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
	wait_for_completion(&priv->comp);
}

static int bar_release(struct inode *inode, struct file *filp)
{
	bar_revoke(filp->private_data);
	return 0;
}

static const struct file_operations bar_fops = {
	.release = bar_release,
};
