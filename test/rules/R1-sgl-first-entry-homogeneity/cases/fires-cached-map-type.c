// R1 fires: the map type of the first range is cached and reused for every later range.
// kernel-version: 6.16
static int qux_map_ranges(struct device *dev, struct phys_vec *vecs, int n,
			  struct pci_p2pdma_map_state *state, dma_addr_t *out)
{
	// ruleid: R1
	enum pci_p2pdma_map_type type = pci_p2pdma_state(state, dev,
						phys_to_page(vecs[0].paddr));
	int i;

	for (i = 0; i < n; i++) {
		if (type == PCI_P2PDMA_MAP_BUS_ADDR)
			out[i] = pci_p2pdma_bus_addr_map(state, vecs[i].paddr);
		else
			out[i] = dma_map_phys(dev, vecs[i].paddr, vecs[i].len,
					      DMA_TO_DEVICE, 0);
	}
	return 0;
}

/* ok: R1 - a request is homogeneous per bio (6.17+), so caching per request is allowed */
static blk_status_t qux_map_rq(struct request *req, struct device *dev,
			       struct pci_p2pdma_map_state *state, struct phys_vec *vecs, int n)
{
	enum pci_p2pdma_map_type type = pci_p2pdma_state(state, dev, phys_to_page(vecs[0].paddr));
	int i;

	for (i = 0; i < n; i++) {
		if (type == PCI_P2PDMA_MAP_BUS_ADDR)
			vecs[i].paddr = pci_p2pdma_bus_addr_map(state, vecs[i].paddr);
	}
	return BLK_STS_OK;
}
