// R9 stays quiet: inside a dma_map_ops implementation, and with addresses from the DMA API or the P2PDMA helpers.
static int demo_ops_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
			   enum dma_data_direction dir, unsigned long attrs)
{
	struct pci_p2pdma_map_state p2pdma_state = {};
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		if (pci_p2pdma_state(&p2pdma_state, dev, sg_page(sg)) == PCI_P2PDMA_MAP_BUS_ADDR) {
			/* ok: R9 */
			sg_dma_address(sg) = pci_p2pdma_bus_addr_map(&p2pdma_state, sg_phys(sg));
			/* ok: R9 */
			sg_dma_mark_bus_address(sg);
			continue;
		}
		/* ok: R9 */
		sg_dma_address(sg) = sg_phys(sg);
	}
	return nents;
}

static const struct dma_map_ops demo_ops = {
	.map_sg = demo_ops_map_sg,
};

static void demo_exporter_fill(struct scatterlist *sgl, struct device *dev, struct p2pdma_provider *provider,
			       phys_addr_t paddr, size_t len)
{
	/* ok: R9 */
	sg_dma_address(sgl) = pci_p2pdma_bus_addr_map(provider, paddr);
	/* ok: R9 */
	sg_dma_address(sgl) = pci_p2pdma_bus_addr_map(provider, sg_phys(sgl));
	/* ok: R9 */
	sg_dma_address(sgl) = dma_map_phys(dev, paddr, len, DMA_BIDIRECTIONAL, DMA_ATTR_MMIO);
	/* ok: R9 */
	sg_dma_address(sgl) = (uintptr_t)sg_virt(sgl);
	/* ok: R9 */
	sgl->dma_address = dma_map_page(dev, sg_page(sgl), 0, len, DMA_TO_DEVICE);
}

static struct scatterlist *demo_find_identity(struct scatterlist *sg)
{
	/* ok: R9 - a comparison in a loop header, not a write */
	while (sg && sg_dma_address(sg) != sg_phys(sg))
		sg = sg_next(sg);
	return sg;
}
