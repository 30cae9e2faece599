// R1 stays quiet: the test is per entry, inside for_each_sg / for_each_sgtable_sg.
static int per_entry_map(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sgtable_sg(sgt, sg, i) {
		/* ok: R1 */
		if (is_pci_p2pdma_page(sg_page(sg)))
			sg->dma_address = pci_p2pdma_bus_addr_map(&state, sg_phys(sg));
		else
			sg->dma_address = dma_map_page(dev, sg_page(sg), sg->offset,
						       sg->length, dir);
	}
	for_each_sg(sgt->sgl, sg, sgt->nents, i)
		/* ok: R1 */
		if (!is_pci_p2pdma_page(sg_page(sg)))
			dma_unmap_page(dev, sg_dma_address(sg), sg->length, dir);
		else
			pci_p2pdma_unmap_sg(dev, sg, 1, dir);
	return 0;
}
