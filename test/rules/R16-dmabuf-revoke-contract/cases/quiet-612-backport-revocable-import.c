// R16 stays quiet on the 6.12.118 stable backport of the pinned revocable import: .move_notify
// naming with the old stub, and the import that returns locked on purpose (it is the API).
static void ib_umem_dmabuf_unsupported_move_notify(struct dma_buf_attachment *attach)
{
	struct ib_umem_dmabuf *umem_dmabuf = attach->importer_priv;

	/* ok: R16 */
	ibdev_warn_ratelimited(umem_dmabuf->umem.ibdev, "Invalidate callback should not be called when memory is pinned\n");
}

static struct dma_buf_attach_ops ib_umem_dmabuf_attach_pinned_ops = {
	.allow_peer2peer = true,
	.move_notify = ib_umem_dmabuf_unsupported_move_notify,
};

struct ib_umem_dmabuf *ib_umem_dmabuf_get_pinned_revocable_and_lock(struct ib_device *device, unsigned long offset,
								size_t size, int fd, int access)
{
	struct ib_umem_dmabuf *umem_dmabuf;

	umem_dmabuf = ib_umem_dmabuf_get_with_dma_device(device, device->dma_device, offset, size, fd, access,
							 &ib_umem_dmabuf_attach_pinned_ops, true);
	if (IS_ERR(umem_dmabuf))
		return umem_dmabuf;
	dma_resv_lock(umem_dmabuf->attach->dmabuf->resv, NULL);
	return umem_dmabuf;
}
