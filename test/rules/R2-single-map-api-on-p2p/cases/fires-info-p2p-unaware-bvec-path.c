// R2 fires as info: a new bvec front-end maps bvec_phys() with no P2P state anywhere.
// kernel-version: 6.19
static int rdma_rw_map_bvecs(struct ib_device *dev, struct bio_vec *bvecs, u32 nr,
			     enum dma_data_direction dir, u64 *addrs)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		// ruleid: R2(info)
		addrs[i] = dma_map_phys(dev->dma_device, bvec_phys(&bvecs[i]),
					bvecs[i].bv_len, dir, 0);
		if (dma_mapping_error(dev->dma_device, addrs[i]))
			return -EIO;
	}
	return 0;
}

/* ok: R2 - the same front-end with a per-range P2P decision */
static int rdma_rw_map_bvecs_p2p(struct ib_device *dev, struct bio_vec *bvecs, u32 nr,
				 enum dma_data_direction dir, u64 *addrs,
				 struct pci_p2pdma_map_state *state)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		switch (pci_p2pdma_state(state, dev->dma_device, bvecs[i].bv_page)) {
		case PCI_P2PDMA_MAP_NONE:
			addrs[i] = dma_map_phys(dev->dma_device, bvec_phys(&bvecs[i]),
						bvecs[i].bv_len, dir, 0);
			break;
		case PCI_P2PDMA_MAP_BUS_ADDR:
			addrs[i] = pci_p2pdma_bus_addr_map(state, bvec_phys(&bvecs[i]));
			break;
		default:
			return -EREMOTEIO;
		}
	}
	return 0;
}
