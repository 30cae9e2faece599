// R9 fires: the CPU physical address of an entry used as its DMA address, outside dma_map_ops.
static int demo_rdma_prepare(struct sg_table *sgt)
{
	struct scatterlist *sg;
	int i;

	for_each_sgtable_sg(sgt, sg, i) {
		// ruleid: R9
		sg_dma_address(sg) = sg_phys(sg);
		sg_dma_len(sg) = sg->length;
	}
	return 0;
}

static void demo_prepare_one(struct scatterlist *s)
{
	// ruleid: R9
	s->dma_address = page_to_phys(sg_page(s)) + s->offset;
}
