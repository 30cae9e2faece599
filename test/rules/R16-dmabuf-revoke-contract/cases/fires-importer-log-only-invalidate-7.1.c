// R16 fires (error) on 7.1+: a pinned peer importer keeps a log-only invalidate op, so
// dma_buf_attach_revocable() says yes while it never unmaps.
// kernel-version: 7.1
// ruleid: R16(error)
static void qux_invalidate(struct dma_buf_attachment *attach)
{
	dev_warn(attach->dev, "invalidate not supported\n");
}

static const struct dma_buf_attach_ops qux_attach_ops = {
	.allow_peer2peer = true,
	.invalidate_mappings = qux_invalidate,
};

static int qux_import(struct qux_dev *qd, struct dma_buf *dmabuf)
{
	qd->attach = dma_buf_dynamic_attach(dmabuf, qd->dma_dev, &qux_attach_ops, qd);
	if (IS_ERR(qd->attach))
		return PTR_ERR(qd->attach);
	dma_resv_lock(dmabuf->resv, NULL);
	/* ok: R16 - the op is not empty as far as the pin is concerned: one finding, at the stub */
	return dma_buf_pin(qd->attach);
}
