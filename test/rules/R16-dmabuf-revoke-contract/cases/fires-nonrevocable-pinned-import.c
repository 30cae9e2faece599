// R16 fires (info): a new long-lived pinned import through the non-revocable API; revoking
// exporters (vfio, uverbs) refuse it on 7.1+.
// kernel-version: 7.1
static int qux_reg_dmabuf_mr(struct qux_mr *mr, struct ib_device *ibdev, u64 start, u64 len, int fd, int access)
{
	struct ib_umem_dmabuf *umem;

	// ruleid: R16(info)
	umem = ib_umem_dmabuf_get_pinned(ibdev, start, len, fd, access);
	if (IS_ERR(umem))
		return PTR_ERR(umem);
	mr->umem = umem;
	return 0;
}
