// R11 fires: FOLL_PCI_P2PDMA / ITER_ALLOW_P2PDMA turned on with no dominating
// blk_queue_pci_p2pdma()/dma_pci_p2pdma_supported()/ib_dma_pci_p2p_dma_supported() check.
static int foo_pin_user_buffer(struct foo_ctx *ctx, unsigned long uaddr, int npages,
			       struct page **pages)
{
	unsigned int gup_flags = FOLL_WRITE;

	// ruleid: R11(warning)
	gup_flags |= FOLL_PCI_P2PDMA;
	return pin_user_pages_fast(uaddr, npages, gup_flags, pages);
}

static int foo_pin_inline(unsigned long uaddr, int npages, struct page **pages)
{
	// ruleid: R11
	return pin_user_pages_fast(uaddr, npages,
				   FOLL_WRITE | FOLL_PCI_P2PDMA,
				   pages);
}

static ssize_t foo_extract(struct foo_ctx *ctx, struct iov_iter *iter,
			   struct page ***pages, size_t len, size_t *off)
{
	// ruleid: R11
	iov_iter_extraction_t flags = ITER_ALLOW_P2PDMA;

	return iov_iter_extract_pages(iter, pages, len, ctx->max_pages, flags, off);
}

static ssize_t foo_extract_direct(struct foo_ctx *ctx, struct iov_iter *iter,
				  struct page ***pages, size_t len, size_t *off)
{
	// ruleid: R11
	return iov_iter_extract_pages(iter, pages, len, ctx->max_pages,
				      ITER_ALLOW_P2PDMA, off);
}

static void foo_setup_flags(struct foo_req *req)
{
	/* a condition that says nothing about the DMA device */
	if (req->write)
		// ruleid: R11
		req->ctx->gup_flags |= (FOLL_WRITE | FOLL_PCI_P2PDMA);
}
