// R16 stays quiet in a file scan: the note is about *new* pinned imports (a patch that adds one,
// see fires-nonrevocable-pinned-import.patch), not the tree's existing importers; nor on the
// import API's own wrapper.
// kernel-version: 7.1
static int qux_reg_dmabuf_mr(struct qux_mr *mr, struct ib_device *ibdev, u64 start, u64 len, int fd, int access)
{
	struct ib_umem_dmabuf *umem;

	/* ok: R16 */
	umem = ib_umem_dmabuf_get_pinned(ibdev, start, len, fd, access);
	if (IS_ERR(umem))
		return PTR_ERR(umem);
	mr->umem = umem;
	return 0;
}

struct ib_umem_dmabuf *ib_umem_dmabuf_get_pinned(struct ib_device *device, unsigned long offset, size_t size, int fd, int access)
{
	/* ok: R16 */
	return ib_umem_dmabuf_get_pinned_with_dma_device(device, device->dma_device, offset, size, fd, access);
}
