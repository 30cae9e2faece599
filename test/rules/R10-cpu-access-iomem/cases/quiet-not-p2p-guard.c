// R10 stays quiet: CPU access only where the code has proven the page is not P2P.
static int demo_bounce(struct bio_vec *bv, void *dst)
{
	void *src;

	if (is_pci_p2pdma_page(bv->bv_page))
		goto use_dma;
	/* ok: R10 */
	src = bvec_kmap_local(bv);
	memcpy(dst, src, bv->bv_len);
	kunmap_local(src);
	return 0;
use_dma:
	return demo_dma(bv);
}

static void demo_zero(struct page *page, bool *p2p)
{
	*p2p = is_pci_p2pdma_page(page);
	if (!is_pci_p2pdma_page(page))
		/* ok: R10 */
		clear_highpage_kasan_tagged(kmap_local_page(page));
}

static bool demo_state(struct pci_p2pdma_map_state *state, struct device *dev, struct page *page,
		       bool *p2p)
{
	*p2p = is_pci_p2pdma_page(page);
	switch (pci_p2pdma_state(state, dev, page)) {
	case PCI_P2PDMA_MAP_NONE:
		/* ok: R10 */
		memset(page_address(page), 0, PAGE_SIZE);
		return true;
	default:
		return false;
	}
}
