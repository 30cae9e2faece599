// The spec's R16 example that does not fire, completed with the map callback and the ops table:
// .attach refuses non-peer, revoked and non-revocable attachments; the reset follows B8.
// kernel-version: 7.1
static int foo_dmabuf_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *att)
{
	struct foo_buf *b = dmabuf->priv;
	if (!att->peer2peer)
		return -EOPNOTSUPP;
	if (b->revoked)
		return -ENODEV;
	if (!dma_buf_attach_revocable(att))
		return -EOPNOTSUPP;
	return 0;
}

static struct sg_table *foo_dmabuf_map(struct dma_buf_attachment *att, enum dma_data_direction dir)
{
	struct foo_buf *b = att->dmabuf->priv;

	kref_get(&b->kref);
	return dma_buf_phys_vec_to_sgt(att, b->provider, &b->vec, 1, b->vec.len, dir);
}

static const struct dma_buf_ops foo_dmabuf_ops = {
	.attach = foo_dmabuf_attach,
	/* ok: R16 */
	.map_dma_buf = foo_dmabuf_map,
};

void foo_reset_prepare(struct foo_buf *b)
{
	dma_resv_lock(b->dmabuf->resv, NULL);
	b->revoked = true;
	/* ok: R16 */
	dma_buf_invalidate_mappings(b->dmabuf);
	dma_resv_wait_timeout(b->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false,
			      MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(b->dmabuf->resv);
	kref_put(&b->kref, foo_dmabuf_done);    /* map takes a ref, unmap drops it */
	wait_for_completion(&b->comp);
	foo_hw_reset(b->pdev);
}
