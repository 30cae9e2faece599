// R1 fires: entry 0's P2P test chooses the attrs of one whole-list mapping through a local that
// each arm of the test sets (control flow, not data flow, carries the decision).
// kernel-version: 6.12
static int demo_map_table(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir)
{
	unsigned long map_attrs;

	// ruleid: R1
	if (is_pci_p2pdma_page(sg_page(sgt->sgl)))
		map_attrs = DMA_ATTR_SKIP_CPU_SYNC;
	else
		map_attrs = 0;

	return dma_map_sgtable(dev, sgt, dir, map_attrs);
}
