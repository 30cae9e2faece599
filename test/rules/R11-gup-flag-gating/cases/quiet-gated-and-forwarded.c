// R11 stays quiet: the flag is set only after a capability check, a queue feature test, a
// variable holding one, or when the caller's own P2P opt-in is handed on; masks and tests of
// the flag turn nothing on; FOLL_LONGTERM in an exclusive arm is another path.
static ssize_t foo_bio_extract(struct bio *bio, struct iov_iter *iter, struct page ***pages,
			       size_t len, size_t *off)
{
	iov_iter_extraction_t extraction_flags = 0;

	if (bio->bi_bdev && blk_queue_pci_p2pdma(bio->bi_bdev->bd_disk->queue))
		/* ok: R11 */
		extraction_flags |= ITER_ALLOW_P2PDMA;
	return iov_iter_extract_pages(iter, pages, len, bio->bi_max_vecs,
				      extraction_flags, off);
}

static int foo_pin_checked(struct foo_dev *fdev, unsigned long uaddr, int n, struct page **pages)
{
	if (!dma_pci_p2pdma_supported(fdev->dma_dev))
		return -EOPNOTSUPP;
	/* ok: R11 */
	return pin_user_pages_fast(uaddr, n, FOLL_WRITE | FOLL_PCI_P2PDMA, pages);
}

static int foo_pin_cached(struct foo_dev *fdev, unsigned long uaddr, int n, struct page **pages)
{
	bool p2p_ok = ib_dma_pci_p2p_dma_supported(fdev->ibdev);
	unsigned int flags = FOLL_WRITE;

	if (p2p_ok)
		/* ok: R11 */
		flags |= FOLL_PCI_P2PDMA;
	return pin_user_pages_fast(uaddr, n, flags, pages);
}

static int foo_gup_from_extraction(iov_iter_extraction_t extraction_flags, unsigned long addr,
				   int n, struct page **pages)
{
	unsigned int gup_flags = 0;

	if (extraction_flags & ITER_ALLOW_P2PDMA)
		/* ok: R11 */
		gup_flags |= FOLL_PCI_P2PDMA;
	/* ok: R11 */
	gup_flags &= ~FOLL_PCI_P2PDMA;
	return get_user_pages_fast(addr, n, gup_flags, pages);
}

static int foo_queue_feature(struct request_queue *q, unsigned long addr, int n, struct page **pages,
			     bool longterm)
{
	unsigned int flags = FOLL_WRITE;

	if (longterm)
		flags |= FOLL_LONGTERM;
	else if (q->limits.features & BLK_FEAT_PCI_P2PDMA)
		/* ok: R11 */
		flags |= FOLL_PCI_P2PDMA;
	if (WARN_ON_ONCE(flags & ~(FOLL_WRITE | FOLL_LONGTERM | FOLL_PCI_P2PDMA)))
		return -EINVAL;
	return pin_user_pages_fast(addr, n, flags, pages);
}

static ssize_t foo_ternary(struct request_queue *q, struct iov_iter *iter, struct page ***pages,
			   size_t len, size_t *off)
{
	/* ok: R11 */
	iov_iter_extraction_t flags = blk_queue_pci_p2pdma(q) ? ITER_ALLOW_P2PDMA : 0;

	return iov_iter_extract_pages(iter, pages, len, 16, flags, off);
}

static int foo_two_pins(struct request_queue *q, unsigned long ring, unsigned long data, int n,
			struct page **ring_pages, struct page **data_pages)
{
	unsigned int data_flags = FOLL_WRITE;
	int ret;

	/* a long-term pin of another buffer, with other flags */
	ret = pin_user_pages_fast(ring, 1, FOLL_WRITE | FOLL_LONGTERM, ring_pages);
	if (ret < 0)
		return ret;
	if (blk_queue_pci_p2pdma(q))
		/* ok: R11 */
		data_flags |= FOLL_PCI_P2PDMA;
	return pin_user_pages_fast(data, n, data_flags, data_pages);
}

static int foo_two_inline_pins(struct foo_dev *fdev, unsigned long ring, unsigned long data, int n,
			       struct page **ring_pages, struct page **data_pages)
{
	int ret;

	ret = pin_user_pages_fast(ring, 1, FOLL_WRITE | FOLL_LONGTERM, ring_pages);
	if (ret < 0 || !dma_pci_p2pdma_supported(fdev->dma_dev))
		return ret;
	/* ok: R11 - the long-term pin above has its own flags */
	return pin_user_pages_fast(data, n, FOLL_WRITE | FOLL_PCI_P2PDMA, data_pages);
}
