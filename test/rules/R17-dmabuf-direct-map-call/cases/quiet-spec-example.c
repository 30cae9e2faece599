// The spec's R17 example that does not fire.
static int foo_import(struct dma_buf *dmabuf, struct device *dma_dev, struct foo_hw *hw, void *priv)
{
	struct dma_buf_attachment *attach;
	struct scatterlist *sg;
	struct sg_table *sgt;
	int i;

	attach = dma_buf_dynamic_attach(dmabuf, dma_dev, &foo_attach_ops, priv);
	dma_resv_lock(dmabuf->resv, NULL);
	/* ok: R17 */
	sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
	dma_resv_unlock(dmabuf->resv);
	for_each_sgtable_dma_sg(sgt, sg, i)
		foo_program(hw, sg_dma_address(sg), sg_dma_len(sg));
	return 0;
}
