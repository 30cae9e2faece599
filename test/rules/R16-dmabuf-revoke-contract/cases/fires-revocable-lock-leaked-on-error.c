// R16 fires (error): an error path leaves with the dma_resv lock that
// ib_umem_dmabuf_get_pinned_revocable_and_lock() returned with.
// kernel-version: 7.1
static void qux_mr_revoke(void *priv)
{
	qux_hw_stop(priv);
}

static int qux_reg_dmabuf_mr(struct qux_mr *mr, struct ib_device *ibdev, u64 start, u64 len, int fd, int access)
{
	struct ib_umem_dmabuf *umem;
	int err;

	// ruleid: R16(error)
	umem = ib_umem_dmabuf_get_pinned_revocable_and_lock(ibdev, start, len, fd, access);
	if (IS_ERR(umem))
		return PTR_ERR(umem);
	err = qux_hw_register(mr->hw, umem);
	if (err) {
		ib_umem_release(&umem->umem);
		return err;
	}
	ib_umem_dmabuf_set_revoke_locked(umem, qux_mr_revoke, mr);
	ib_umem_dmabuf_revoke_unlock(umem);
	return 0;
}
