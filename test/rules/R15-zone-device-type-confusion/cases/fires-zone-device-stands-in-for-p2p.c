// R15 fires: a ZONE_DEVICE test or a pgmap type check that does not name
// MEMORY_DEVICE_PCI_P2PDMA decides that memory is P2P: its result chooses P2P handling (a P2P
// API call in the arm it guards), whatever the flag is called.
static void foo_classify(struct foo_iod *iod, struct page *page, struct p2pdma_provider *provider)
{
	// ruleid: R15(warning)
	bool zd = is_zone_device_page(page);

	if (zd)
		iod->dma = pci_p2pdma_bus_addr_map(provider, page_to_phys(page));
}

static void foo_classify_plain(struct foo_iod *iod, struct page *page)
{
	/* ok: R15 - the flag is called is_p2p, but nothing P2P depends on it */
	bool is_p2p = is_zone_device_page(page);

	if (is_p2p)
		iod->flags |= FOO_ZONE_DEVICE;
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
