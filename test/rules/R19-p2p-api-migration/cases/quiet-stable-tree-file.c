// SPDX-License-Identifier: GPL-2.0
/*
 * A whole file of a stable tree (6.12.y) scanned without a target version: the pinned revocable
 * import was backported (7.1 API) next to the .move_notify naming the tree keeps.
 */
#include <rdma/ib_umem.h>
#include <linux/dma-buf.h>

static void demo_revoke_cb(void *priv)
{
	demo_stop_hw(priv);
}

static const struct dma_buf_attach_ops demo_attach_ops = {
	.allow_peer2peer = true,
	/* ok: R19 */
	.move_notify = demo_invalidate,
};

static int demo_reg_mr(struct ib_device *ibdev, unsigned long offset, size_t len, int fd)
{
	struct ib_umem_dmabuf *umem;

	umem = ib_umem_dmabuf_get_pinned_revocable_and_lock(ibdev, offset, len, fd, IB_ACCESS_LOCAL_WRITE);
	if (IS_ERR(umem))
		return PTR_ERR(umem);
	ib_umem_dmabuf_set_revoke_locked(umem, demo_revoke_cb, NULL);
	ib_umem_dmabuf_revoke_unlock(umem);
	return 0;
}
