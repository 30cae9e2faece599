// The spec's R17 example that fires.
static int foo_import(struct dma_buf *dmabuf, struct foo_dev *hw)
{
	struct scatterlist *sg;
	struct sg_table *sgt;
	int i;

	dma_resv_lock(dmabuf->resv, NULL);
	// ruleid: R17(error)
	sgt = dmabuf->ops->map_dma_buf(NULL, DMA_BIDIRECTIONAL);
	dma_resv_unlock(dmabuf->resv);
	for_each_sg(sgt->sgl, sg, sgt->nents, i) {
		struct page *page = sg_page(sg);        /* NULL for phys_vec exporters */
		void *va = kmap_local_page(page);

		foo_consume(hw, va);
	}
	return 0;
}
