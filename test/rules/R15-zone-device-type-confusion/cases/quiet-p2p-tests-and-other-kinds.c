// R15 stays quiet: is_pci_p2pdma_page() and the MEMORY_DEVICE_PCI_P2PDMA type identify P2P;
// a ZONE_DEVICE test that only rejects or handles other kinds; a device-private page taken
// out before mapping; HMM pages known not to be P2P; HMM without P2P.
static int foo_map_seg(struct foo_iod *iod, struct device *dev, struct page *page)
{
	/* ok: R15 */
	if (is_pci_p2pdma_page(page))
		iod->map = pci_p2pdma_state(&iod->p2p_state, dev, page);
	/* ok: R15 */
	if (page_pgmap(page)->type == MEMORY_DEVICE_PCI_P2PDMA)
		iod->p2p = true;
	/* ok: R15 */
	if (is_zone_device_page(page))
		return -EINVAL;
	return 0;
}

static dma_addr_t foo_map_host(struct device *dev, struct page *page)
{
	if (is_device_private_page(page))
		return DMA_MAPPING_ERROR;
	/* ok: R15 */
	return dma_map_page(dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
}

static int foo_fault_range(struct foo_svm *svm, struct hmm_range *range)
{
	unsigned long i, npages = (range->end - range->start) >> PAGE_SHIFT;
	struct page *page;

	range->default_flags = HMM_PFN_REQ_FAULT | HMM_PFN_ALLOW_P2P;
	if (hmm_range_fault(range))
		return -EFAULT;
	for (i = 0; i < npages; i++) {
		if (range->hmm_pfns[i] & HMM_PFN_P2PDMA)
			continue;
		page = hmm_pfn_to_page(range->hmm_pfns[i]);
		/* ok: R15 */
		get_page(page);
	}
	return 0;
}
