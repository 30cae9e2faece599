// rdma_rw_ctx_init_bvec() on bvecs of ordinary kernel pages (svcrdma's own buffers, no P2P source on
// the path): nothing P2P reaches the P2P-unaware API. R2 stays quiet.
// kernel-version: 7.0
static int example_rdma_send_pages(struct example_ctx *c, struct ib_qp *qp, u32 port,
				   u64 remote_addr, u32 rkey, unsigned int n)
{
	struct bvec_iter iter = { };
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page)
			return -ENOMEM;
		bvec_set_page(&c->bvecs[i], page, PAGE_SIZE, 0);
	}
	iter.bi_size = n * PAGE_SIZE;
	/* ok: R2 - host pages */
	return rdma_rw_ctx_init_bvec(&c->rw, qp, port, c->bvecs, n, iter,
				     remote_addr, rkey, DMA_TO_DEVICE);
}
