// R10 fires: pages pinned with ITER_ALLOW_P2PDMA / FOLL_PCI_P2PDMA may be P2P: no CPU access.
static int demo_integrity_copy(struct request_queue *q, struct iov_iter *iter, void *dst, size_t bytes)
{
	struct page *stack_pages[4], **pages = stack_pages;
	iov_iter_extraction_t flags = 0;
	size_t offset;
	ssize_t ret;

	if (blk_queue_pci_p2pdma(q))
		flags |= ITER_ALLOW_P2PDMA;
	ret = iov_iter_extract_pages(iter, &pages, bytes, 4, flags, &offset);
	if (ret < 0)
		return ret;
	// ruleid: R10
	memcpy_from_page(dst, pages[0], offset, ret);
	/* ok: R10 - copying the array of page pointers is not an access to the pages */
	memcpy(stack_pages, pages, sizeof(stack_pages));
	return 0;
}

static int demo_pin(unsigned long uaddr, struct page **pages, int n)
{
	int got = pin_user_pages_fast(uaddr, n, FOLL_WRITE | FOLL_PCI_P2PDMA, pages);

	if (got <= 0)
		return -EFAULT;
	// ruleid: R10
	memset(page_address(pages[0]), 0, PAGE_SIZE);
	return got;
}
