// R16 stays quiet: the pinned revoke callback stops the hardware before it returns (irdma style).
// kernel-version: 7.1
static void qux_mr_revoke(void *priv)
{
	struct qux_mr *mr = priv;

	qux_hw_invalidate_stag(mr->hw, mr->stag);
	qux_hw_wait_idle(mr->hw);
}

static int qux_reg_dmabuf_mr(struct qux_mr *mr, struct ib_device *ibdev, u64 start, u64 len, int fd, int access)
{
	struct ib_umem_dmabuf *umem;
	int err;

	/* ok: R16 */
	umem = ib_umem_dmabuf_get_pinned_revocable_and_lock(ibdev, start, len, fd, access);
	if (IS_ERR(umem))
		return PTR_ERR(umem);
	err = qux_hw_register(mr->hw, umem);
	if (err)
		goto err_unlock;
	/* ok: R16 */
	ib_umem_dmabuf_set_revoke_locked(umem, qux_mr_revoke, mr);
	ib_umem_dmabuf_revoke_unlock(umem);
	mr->umem = umem;
	return 0;

err_unlock:
	ib_umem_dmabuf_revoke_unlock(umem);
	ib_umem_release(&umem->umem);
	return err;
}
