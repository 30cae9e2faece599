// R16 stays quiet: a dynamic (non-pinned) peer importer whose invalidate op unmaps (amdgpu/xe/
// mlx5 ODP style).
// kernel-version: 7.1
static void qux_invalidate(struct dma_buf_attachment *attach)
{
	struct qux_mr *mr = attach->importer_priv;

	qux_hw_zap_ptes(mr);
	dma_buf_unmap_attachment(attach, mr->sgt, DMA_BIDIRECTIONAL);
	mr->sgt = NULL;
}

/* ok: R16 */
static const struct dma_buf_attach_ops qux_attach_ops = {
	.allow_peer2peer = true,
	.invalidate_mappings = qux_invalidate,
};
