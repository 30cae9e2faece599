// R15 stays quiet on HMM users that never admit P2P pages.
static int foo_fault_range(struct foo_svm *svm, struct hmm_range *range)
{
	unsigned long i, npages = (range->end - range->start) >> PAGE_SHIFT;

	range->default_flags = HMM_PFN_REQ_FAULT;
	if (hmm_range_fault(range))
		return -EFAULT;
	for (i = 0; i < npages; i++)
		/* ok: R15 */
		get_page(hmm_pfn_to_page(range->hmm_pfns[i]));
	return 0;
}
