// R1 fires: bv[0] of a bvec array decides whether every segment is mapped as P2P.
static int baz_map_bvecs(struct device *dev, struct bio_vec *bv, int n, dma_addr_t *addrs)
{
	int i;

	// ruleid: R1
	if (is_pci_p2pdma_page(bv[0].bv_page)) {
		for (i = 0; i < n; i++)
			addrs[i] = pci_p2pdma_bus_addr_map(&baz_state, bvec_phys(&bv[i]));
	} else {
		for (i = 0; i < n; i++)
			addrs[i] = dma_map_bvec(dev, &bv[i], DMA_TO_DEVICE, 0);
	}
	return 0;
}
