// R9 fires: the CPU physical address of an entry used as its DMA address, outside dma_map_ops,
// on a table with P2P/BAR evidence (spec revision: without evidence there is no finding).
static int demo_rdma_prepare(struct pci_dev *provider, struct sg_table *sgt, unsigned int *nents, u32 len)
{
	struct scatterlist *sg;
	int i;

	sgt->sgl = pci_p2pmem_alloc_sgl(provider, nents, len);
	for_each_sgtable_sg(sgt, sg, i) {
		// ruleid: R9
		sg_dma_address(sg) = sg_phys(sg);
		sg_dma_len(sg) = sg->length;
	}
	return 0;
}

static void demo_prepare_p2p(struct scatterlist *s)
{
	if (is_pci_p2pdma_page(sg_page(s)))
		// ruleid: R9
		s->dma_address = page_to_phys(sg_page(s)) + s->offset;
}

static void demo_prepare_one(struct scatterlist *s)
{
	/* ok: R9 - no P2P or BAR evidence: a driver's own (if odd) use of phys as DMA address */
	s->dma_address = page_to_phys(sg_page(s)) + s->offset;
}
