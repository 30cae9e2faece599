// R5 fires on decisions that read the map type by its declared type: the .map of the
// struct pci_p2pdma_map_state a 6.17+ struct blk_dma_iter embeds (iter->p2pdma.map,
// whatever the iterator is called), or an enum pci_p2pdma_map_type local set from it.
// BUS_ADDR sent to the DMA API and THRU_HOST_BRIDGE sent to pci_p2pdma_bus_addr_map() are
// errors; a NOT_SUPPORTED fall-through on a parameter (its producer is elsewhere) a warning.
// kernel-version: 6.19
static bool foo_map_seg(struct foo_queue *fq, struct request *req, struct blk_dma_iter *it,
			struct foo_sge *sge)
{
	switch (it->p2pdma.map) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		// ruleid: R5(error)
		sge->addr = dma_map_phys(fq->dma_dev, it->addr, it->len, rq_dma_dir(req), DMA_ATTR_MMIO);
		break;
	case PCI_P2PDMA_MAP_NONE:
		sge->addr = it->addr;
		break;
	default:
		return false;
	}
	sge->len = it->len;
	return true;
}

static blk_status_t foo_setup_data(struct foo_queue *fq, struct request *req, struct foo_sge *sge)
{
	struct blk_dma_iter walker;

	if (!blk_rq_dma_map_iter_start(req, fq->dma_dev, &fq->dma_state, &walker))
		return walker.status;
	if (walker.p2pdma.map == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE)
		// ruleid: R5(error)
		sge->addr = pci_p2pdma_bus_addr_map(walker.p2pdma.mem, walker.addr);
	else
		sge->addr = walker.addr;
	return BLK_STS_OK;
}

static void foo_map_meta(struct foo_queue *fq, struct blk_dma_iter *iter, struct page *page,
			 struct foo_sge *sge)
{
	enum pci_p2pdma_map_type route = iter->p2pdma.map;

	if (route == PCI_P2PDMA_MAP_NONE)
		sge->addr = iter->addr;
	else
		// ruleid: R5(error)
		sge->addr = dma_map_page(fq->dma_dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
}

static dma_addr_t foo_map_route(struct foo_queue *fq, enum pci_p2pdma_map_type route,
				phys_addr_t phys, size_t len)
{
	switch (route) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		return pci_p2pdma_bus_addr_map(fq->provider, phys);
	default:
		// ruleid: R5(warning)
		return dma_map_phys(fq->dma_dev, phys, len, DMA_TO_DEVICE,
				    route == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE ? DMA_ATTR_MMIO : 0);
	}
}
