// The spec's R16 example that fires, completed with the dma_buf_ops table it implies. Three
// defects: no peer2peer test, no refusal after revoke, and a revoke without either wait.
// kernel-version: 7.1
static int foo_dmabuf_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *att)
{
	return 0;                               /* no peer2peer, no revocable check */
}

// ruleid: R16(warning)
static struct sg_table *foo_dmabuf_map(struct dma_buf_attachment *att, enum dma_data_direction dir)
{
	struct foo_buf *b = att->dmabuf->priv;
	return dma_buf_phys_vec_to_sgt(att, b->provider, &b->vec, 1, b->vec.len, dir);
}

static const struct dma_buf_ops foo_dmabuf_ops = {
	.attach = foo_dmabuf_attach,
	// ruleid: R16(error)
	.map_dma_buf = foo_dmabuf_map,
};

void foo_reset_prepare(struct foo_buf *b)       /* called from the reset ioctl */
{
	dma_resv_lock(b->dmabuf->resv, NULL);
	b->revoked = true;
	// ruleid: R16(error)
	dma_buf_invalidate_mappings(b->dmabuf);
	dma_resv_unlock(b->dmabuf->resv);
	foo_hw_reset(b->pdev);                  /* importers may still be mapped */
}
