// R3 fires: an ops table claims DMA_F_PCI_P2PDMA_SUPPORTED but its map_sg has no per-entry protocol.
// kernel-version: 6.4
static int foo_iommu_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
			    enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		sg->dma_address = foo_iommu_map(dev, sg_phys(sg), sg->length);
	return nents;
}

static const struct dma_map_ops foo_iommu_ops = {
	// ruleid: R3
	.flags		= DMA_F_PCI_P2PDMA_SUPPORTED,
	.map_sg		= foo_iommu_map_sg,
};

/* ok: R3 - this one implements the protocol */
static int bar_iommu_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
			    enum dma_data_direction dir, unsigned long attrs)
{
	struct pci_p2pdma_map_state p2pdma_state = {};
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		if (pci_p2pdma_map_segment(&p2pdma_state, dev, sg) == PCI_P2PDMA_MAP_BUS_ADDR) {
			sg_dma_mark_bus_address(sg);
			continue;
		}
		sg->dma_address = bar_iommu_map(dev, sg_phys(sg), sg->length);
	}
	return nents;
}

static const struct dma_map_ops bar_iommu_ops = {
	.flags		= DMA_F_PCI_P2PDMA_SUPPORTED,
	.map_sg		= bar_iommu_map_sg,
};
