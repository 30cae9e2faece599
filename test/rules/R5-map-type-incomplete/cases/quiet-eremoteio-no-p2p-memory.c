// R5 stays quiet: nothing in this driver ever sees P2P memory, so -ENOMEM is a fair answer.
// kernel-version: 6.8
static int gfx_map_pages(struct gfx_bo *bo, struct device *dev)
{
	int ret;

	ret = sg_alloc_table_from_pages(&bo->sgt, bo->pages, bo->npages, 0,
					bo->size, GFP_KERNEL);
	if (ret)
		return ret;
	// ok: R5
	if (dma_map_sgtable(dev, &bo->sgt, DMA_BIDIRECTIONAL, 0)) {
		sg_free_table(&bo->sgt);
		return -ENOMEM;
	}
	return 0;
}
