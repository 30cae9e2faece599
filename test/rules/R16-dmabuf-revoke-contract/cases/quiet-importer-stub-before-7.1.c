// R16 stays quiet before 7.1: dma_buf_dynamic_attach() then WARNs and fails without a
// move_notify, so a pinned peer importer had to carry a stub (the pre-7.1
// ib_umem_dmabuf_unsupported_move_notify()).
// kernel-version: 6.12
static void qux_unsupported_move_notify(struct dma_buf_attachment *attach)
{
	/* ok: R16 */
	ibdev_warn_ratelimited(NULL, "Invalidate callback should not be called when memory is pinned\n");
}

static struct dma_buf_attach_ops qux_pinned_ops = {
	.allow_peer2peer = true,
	.move_notify = qux_unsupported_move_notify,
};
