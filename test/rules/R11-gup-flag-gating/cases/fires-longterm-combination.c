// R11 fires (error): the P2P flag on a path that also pins FOLL_LONGTERM or calls
// ib_umem_get() (always long-term), even behind a capability check.
static int foo_reg_mr(struct foo_dev *fdev, unsigned long uaddr, int npages,
		      struct page **pages)
{
	if (!dma_pci_p2pdma_supported(fdev->dma_dev))
		return -EOPNOTSUPP;
	// ruleid: R11(error)
	return pin_user_pages_fast(uaddr, npages,
				   FOLL_WRITE | FOLL_LONGTERM | FOLL_PCI_P2PDMA,
				   pages);
}

static int foo_pin_longterm(struct foo_dev *fdev, unsigned long uaddr, int npages,
			    struct page **pages)
{
	unsigned int gup_flags = FOLL_WRITE | FOLL_LONGTERM;

	if (ib_dma_pci_p2p_dma_supported(fdev->ibdev))
		// ruleid: R11(error)
		gup_flags |= FOLL_PCI_P2PDMA;
	return pin_user_pages(uaddr, npages, gup_flags, pages);
}

static struct ib_umem *foo_umem_get(struct foo_dev *fdev, u64 start, u64 len, int access)
{
	struct foo_umem_args args = {};

	if (dma_pci_p2pdma_supported(fdev->dma_dev))
		// ruleid: R11(error)
		args.gup_flags |= FOLL_PCI_P2PDMA;
	return ib_umem_get(&fdev->ibdev, start, len, access);
}
