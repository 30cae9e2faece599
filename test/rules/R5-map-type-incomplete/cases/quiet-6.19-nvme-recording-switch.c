// nvme-pci 6.19 records iter.p2pdma.map in iod flags for the unmap. The data switch's default arm
// returns BLK_STS_RESOURCE and the metadata switch has none, but blk_rq_dma_map_iter_start() has
// already failed PCI_P2PDMA_MAP_NOT_SUPPORTED with BLK_STS_INVAL: the default is unreachable. R5 stays quiet.
// kernel-version: 6.19
static blk_status_t example_pci_setup_data(struct request *req, struct example_iod *iod, struct device *dma_dev)
{
	struct blk_dma_iter iter;

	if (!blk_rq_dma_map_iter_start(req, dma_dev, &iod->dma_state, &iter))
		return iter.status;

	/* ok: R5 - a recording switch; the iterator already failed NOT_SUPPORTED */
	switch (iter.p2pdma.map) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		iod->flags |= IOD_DATA_P2P;
		break;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		iod->flags |= IOD_DATA_MMIO;
		break;
	case PCI_P2PDMA_MAP_NONE:
		break;
	default:
		return BLK_STS_RESOURCE;
	}
	return example_setup_prps(req, iod, &iter);
}

static blk_status_t example_pci_setup_meta(struct request *req, struct example_iod *iod, struct device *dma_dev)
{
	struct blk_dma_iter iter;

	if (!blk_rq_integrity_dma_map_iter_start(req, dma_dev, &iod->meta_state, &iter))
		return iter.status;

	/* ok: R5 - a recording switch; the iterator already failed NOT_SUPPORTED */
	switch (iter.p2pdma.map) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		iod->flags |= IOD_META_P2P;
		break;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		iod->flags |= IOD_META_MMIO;
		break;
	case PCI_P2PDMA_MAP_NONE:
		break;
	}
	return example_setup_meta_sgl(req, iod, &iter);
}
