// R5 stays quiet on decisions on a map type known by its declared type when every route goes
// where it belongs; when NOT_SUPPORTED has no failing arm because the producer is not in the
// function (blk_rq_dma_map_iter_start() has failed it already, or a caller has); and on a
// driver's own field spelled p2pdma.map that is not a struct pci_p2pdma_map_state.
// kernel-version: 6.19
static bool bar_map_seg(struct bar_queue *bq, struct request *req, struct blk_dma_iter *iter,
			struct bar_sge *sge)
{
	/* ok: R5 */
	switch (iter->p2pdma.map) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		sge->addr = pci_p2pdma_bus_addr_map(iter->p2pdma.mem, iter->addr);
		break;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		sge->addr = dma_map_phys(bq->dma_dev, iter->addr, iter->len, rq_dma_dir(req), DMA_ATTR_MMIO);
		break;
	case PCI_P2PDMA_MAP_NONE:
		sge->addr = dma_map_phys(bq->dma_dev, iter->addr, iter->len, rq_dma_dir(req), 0);
		break;
	}
	return !dma_mapping_error(bq->dma_dev, sge->addr);
}

static void bar_unmap_seg(struct bar_queue *bq, enum pci_p2pdma_map_type map, struct bar_sge *sge,
			  enum dma_data_direction dir)
{
	/* ok: R5 */
	if (map == PCI_P2PDMA_MAP_BUS_ADDR)
		return;
	dma_unmap_phys(bq->dma_dev, sge->addr, sge->len, dir,
		       map == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE ? DMA_ATTR_MMIO : 0);
}

struct bar_route {
	int map;
};

struct bar_req {
	struct bar_route p2pdma;
};

static void bar_account(struct bar_queue *bq, struct bar_req *breq, struct page *page, struct bar_sge *sge)
{
	/* ok: R5 */
	if (breq->p2pdma.map == PCI_P2PDMA_MAP_NONE)
		bq->host_segs++;
	else
		sge->addr = dma_map_page(bq->dma_dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
}
