// R17 fires (error): a software RDMA device without a DMA device maps the dma-buf through the
// exporter's op with no attachment at all, and unmaps the same way.
static struct sg_table *rxe_dmabuf_map(struct rxe_mr *mr, struct dma_buf *dmabuf)
{
	struct sg_table *sgt;

	dma_resv_lock(dmabuf->resv, NULL);
	// ruleid: R17(error)
	sgt = dmabuf->ops->map_dma_buf(NULL, DMA_BIDIRECTIONAL);
	dma_resv_unlock(dmabuf->resv);
	return sgt;
}

static void rxe_dmabuf_unmap(struct rxe_mr *mr, struct dma_buf *dmabuf, struct sg_table *sgt)
{
	dma_resv_lock(dmabuf->resv, NULL);
	// ruleid: R17(error)
	dmabuf->ops->unmap_dma_buf(NULL, sgt, DMA_BIDIRECTIONAL);
	dma_resv_unlock(dmabuf->resv);
}
