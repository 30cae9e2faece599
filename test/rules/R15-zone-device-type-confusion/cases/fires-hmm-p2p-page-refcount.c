// R15 fires: a reference taken on pages from hmm_pfn_to_page() when the range may return P2P
// pages (HMM_PFN_ALLOW_P2P requested).
static int foo_fault_range(struct foo_svm *svm, struct hmm_range *range)
{
	unsigned long i, npages = (range->end - range->start) >> PAGE_SHIFT;
	struct page *page;
	int ret;

	range->default_flags = HMM_PFN_REQ_FAULT | HMM_PFN_ALLOW_P2P;
	ret = hmm_range_fault(range);
	if (ret)
		return ret;

	for (i = 0; i < npages; i++) {
		page = hmm_pfn_to_page(range->hmm_pfns[i]);
		// ruleid: R15
		get_page(page);
		svm->pages[i] = page;
	}
	return 0;
}

static void foo_hold(struct foo_svm *svm, unsigned long hmm_pfn)
{
	struct page *page = hmm_pfn_to_page(hmm_pfn);

	// ruleid: R15
	folio_get(page_folio(page));
}
