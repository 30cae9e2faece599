// The 7.0 bvec RDMA R/W API (rdma_rw_ctx_init_bvec()) is merged API and P2P-unaware by design: it
// maps each bvec with attrs 0 and never asks pci_p2pdma_state(). R2 fires when the bvecs hold pages
// extracted with ITER_ALLOW_P2PDMA and nothing switches on the map type.
// kernel-version: 7.0
static int example_rdma_write(struct example_ctx *c, struct ib_qp *qp, u32 port,
			      struct iov_iter *from, u64 remote_addr, u32 rkey)
{
	struct page **pages = c->pages;
	struct bvec_iter iter = { };
	size_t off, len;
	ssize_t got;
	int i, n;

	got = iov_iter_extract_pages(from, &pages, SZ_64K, EXAMPLE_MAX_PAGES,
				     ITER_ALLOW_P2PDMA, &off);
	if (got <= 0)
		return got ? got : -EFAULT;
	n = DIV_ROUND_UP(off + got, PAGE_SIZE);
	for (i = 0; i < n; i++) {
		len = min_t(size_t, PAGE_SIZE - off, got);
		bvec_set_page(&c->bvecs[i], pages[i], len, off);
		got -= len;
		off = 0;
	}
	iter.bi_size = n * PAGE_SIZE;
	/* ruleid: R2 */
	return rdma_rw_ctx_init_bvec(&c->rw, qp, port, c->bvecs, n, iter,
				     remote_addr, rkey, DMA_TO_DEVICE);
}
