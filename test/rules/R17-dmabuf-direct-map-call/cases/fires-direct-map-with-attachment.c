// R17 fires (warning): a real attachment, but the exporter's op is called directly, so the
// core's locking assertions, pinning, caching and fence waits are skipped.
static int qux_map_import(struct qux_ctx *ctx, struct dma_buf_attachment *attach)
{
	struct sg_table *sgt;

	// ruleid: R17(warning)
	sgt = attach->dmabuf->ops->map_dma_buf(attach, DMA_TO_DEVICE);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	ctx->sgt = sgt;
	return 0;
}
