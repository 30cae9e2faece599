// R2 stays quiet: the mapping is dominated by a not-P2P guard or a map-type decision.
// kernel-version: 6.18
static int guarded_map(struct device *dev, struct page *page, struct pci_p2pdma_map_state *state,
		       struct bio_vec *bv, dma_addr_t *addr)
{
	struct page *p2p = virt_to_page(pci_alloc_p2pmem(p2p_pdev, PAGE_SIZE));

	/* ok: R2 */
	if (!is_pci_p2pdma_page(p2p))
		*addr = dma_map_page(dev, p2p, 0, PAGE_SIZE, DMA_TO_DEVICE);

	if (is_pci_p2pdma_page(p2p))
		return -EREMOTEIO;
	/* ok: R2 - after the early return the page is not P2P */
	*addr = dma_map_page(dev, p2p, 0, PAGE_SIZE, DMA_TO_DEVICE);

	switch (pci_p2pdma_state(state, dev, p2p)) {
	case PCI_P2PDMA_MAP_NONE:
		/* ok: R2 */
		*addr = dma_map_page(dev, p2p, 0, PAGE_SIZE, DMA_TO_DEVICE);
		break;
	case PCI_P2PDMA_MAP_BUS_ADDR:
		*addr = pci_p2pdma_bus_addr_map(state, page_to_phys(p2p));
		break;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		*addr = dma_map_phys(dev, page_to_phys(p2p), PAGE_SIZE, DMA_TO_DEVICE, DMA_ATTR_MMIO);
		break;
	default:
		return -EREMOTEIO;
	}
	if (pci_p2pdma_state(state, dev, p2p) == PCI_P2PDMA_MAP_NONE)
		/* ok: R2 */
		*addr = dma_map_page(dev, p2p, 0, PAGE_SIZE, DMA_TO_DEVICE);
	return 0;
}

/* A first loop rejects P2P pages; the second loop maps what is left: host pages only. */
static int reject_then_map(struct device *dev, struct scatterlist *sgl, int nents)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		if (is_pci_p2pdma_page(sg_page(sg)))
			return -EREMOTEIO;
	for_each_sg(sgl, sg, nents, i)
		/* ok: R2 */
		sg->dma_address = dma_map_page(dev, sg_page(sg), sg->offset, sg->length, DMA_TO_DEVICE);
	return 0;
}
