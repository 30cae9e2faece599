// R5 fires: THRU_HOST_BRIDGE goes to pci_p2pdma_bus_addr_map(), a switch-local bus address.
// kernel-version: 6.17
static blk_status_t zed_map_seg(struct zed_iod *iod, struct device *dev, struct bio_vec *bv)
{
	pci_p2pdma_state(&iod->p2pdma, dev, bv->bv_page);
	if (iod->p2pdma.map == PCI_P2PDMA_MAP_NOT_SUPPORTED)
		return BLK_STS_TARGET;
	if (iod->p2pdma.map != PCI_P2PDMA_MAP_NONE) {
		// ruleid: R5(error)
		iod->dma = pci_p2pdma_bus_addr_map(&iod->p2pdma,
						   bvec_phys(bv));
		return BLK_STS_OK;
	}
	iod->dma = dma_map_bvec(dev, bv, DMA_TO_DEVICE, 0);
	return BLK_STS_OK;
}
