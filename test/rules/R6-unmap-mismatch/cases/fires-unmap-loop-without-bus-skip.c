// R6 fires on a custom unmap loop that unmaps every entry of a list that can hold P2P bus addresses:
// a pci_p2pmem_alloc_sgl() list, or a file whose map side marks bus addresses.
// kernel-version: 6.6
static void example_unmap_p2pmem(struct device *dev, struct pci_dev *provider, unsigned int len)
{
	struct scatterlist *sgl, *sg;
	unsigned int nents;
	int i;

	sgl = pci_p2pmem_alloc_sgl(provider, &nents, len);
	for_each_sg(sgl, sg, nents, i)
		/* ruleid: R6 */
		dma_unmap_page(dev, sg_dma_address(sg), sg_dma_len(sg), DMA_TO_DEVICE);
}

static int example_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
			  enum dma_data_direction dir, unsigned long attrs)
{
	struct pci_p2pdma_map_state p2pdma_state = {};
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		if (pci_p2pdma_state(&p2pdma_state, dev, sg_page(sg)) == PCI_P2PDMA_MAP_BUS_ADDR) {
			sg->dma_address = pci_p2pdma_bus_addr_map(&p2pdma_state, sg_phys(sg));
			sg_dma_mark_bus_address(sg);
			continue;
		}
		sg->dma_address = example_map_one(dev, sg, dir, attrs);
	}
	return nents;
}

static void example_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
			     enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for (sg = sgl, i = 0; i < nents; sg = sg_next(sg), i++)
		/* ruleid: R6 */
		dma_unmap_page_attrs(dev, sg_dma_address(sg),
				     sg_dma_len(sg), dir, attrs);
	for_each_sg(sgl, sg, nents, i) {
		if (sg_dma_is_bus_address(sg)) {
			sg_dma_unmark_bus_address(sg);
			continue;
		}
		/* ok: R6 - bus addresses are skipped */
		dma_unmap_page_attrs(dev, sg_dma_address(sg), sg_dma_len(sg), dir, attrs);
	}
}
