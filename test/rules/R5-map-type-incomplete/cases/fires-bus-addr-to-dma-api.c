// R5 fires: BUS_ADDR goes to the DMA API (an IOVA the peer never sees through the switch).
// kernel-version: 6.18
static int qux_link_range(struct qux_dev *qdev, struct dma_iova_state *iova,
			  struct page *page, phys_addr_t phys, size_t off, size_t len)
{
	struct pci_p2pdma_map_state *p2p = &qdev->req->p2p;

	switch (pci_p2pdma_state(p2p, qdev->dma_dev, page)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		// ruleid: R5(error)
		return dma_iova_link(qdev->dma_dev, iova, phys, off, len,
				     DMA_FROM_DEVICE, DMA_ATTR_MMIO);
	case PCI_P2PDMA_MAP_NONE:
		// ok: R5
		return dma_iova_link(qdev->dma_dev, iova, phys, off, len, DMA_FROM_DEVICE, 0);
	default:
		return -EREMOTEIO;
	}
}

static dma_addr_t qux_map_page(struct qux_dev *qdev, struct page *page, size_t len)
{
	struct pci_p2pdma_map_state st = {};
	int type = pci_p2pdma_state(&st, qdev->dma_dev, page);

	if (type == PCI_P2PDMA_MAP_NOT_SUPPORTED)
		return DMA_MAPPING_ERROR;
	if (type != PCI_P2PDMA_MAP_THRU_HOST_BRIDGE)
		// ruleid: R5(error)
		return dma_map_page_attrs(qdev->dma_dev, page, 0, len,
					  DMA_TO_DEVICE, 0);
	return dma_map_phys(qdev->dma_dev, page_to_phys(page), len, DMA_TO_DEVICE, DMA_ATTR_MMIO);
}
