// R16 fires (warning): the pinned revoke callback only queues work and returns while the
// hardware may still access the region.
// kernel-version: 7.1
// ruleid: R16(warning)
static void qux_mr_revoke(void *priv)
{
	struct qux_mr *mr = priv;

	queue_work(mr->wq, &mr->revoke_work);
}

static int qux_reg_dmabuf_mr(struct qux_mr *mr, struct ib_device *ibdev, u64 start, u64 len, int fd, int access)
{
	struct ib_umem_dmabuf *umem;

	umem = ib_umem_dmabuf_get_pinned_revocable_and_lock(ibdev, start, len, fd, access);
	if (IS_ERR(umem))
		return PTR_ERR(umem);
	ib_umem_dmabuf_set_revoke_locked(umem, qux_mr_revoke, mr);
	ib_umem_dmabuf_revoke_unlock(umem);
	mr->umem = umem;
	return 0;
}
