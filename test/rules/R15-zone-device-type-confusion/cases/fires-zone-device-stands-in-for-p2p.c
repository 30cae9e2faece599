// R15 fires: a ZONE_DEVICE test or a pgmap type check that does not name
// MEMORY_DEVICE_PCI_P2PDMA decides that memory is P2P.
static void foo_classify(struct foo_iod *iod, struct page *page)
{
	// ruleid: R15(warning)
	bool is_p2p = is_zone_device_page(page);

	// ruleid: R15
	iod->p2p = folio_is_zone_device(page_folio(page));
	if (is_p2p)
		iod->flags |= FOO_P2P;
}

static int foo_map_seg(struct foo_iod *iod, struct device *dev, struct scatterlist *sg)
{
	// ruleid: R15
	if (is_zone_device_page(sg_page(sg))) {
		iod->map = pci_p2pdma_state(&iod->p2p_state, dev, sg_page(sg));
		if (iod->map == PCI_P2PDMA_MAP_NOT_SUPPORTED)
			return -EREMOTEIO;
	}
	return 0;
}

static void foo_tag_bio(struct bio *bio, struct page *page)
{
	// ruleid: R15
	if (page_pgmap(page)->type != MEMORY_DEVICE_PRIVATE &&
	    is_zone_device_page(page))
		bio->bi_opf |= REQ_P2PDMA | REQ_NOMERGE;
}
