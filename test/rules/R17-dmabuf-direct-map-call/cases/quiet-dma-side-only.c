// R17 stays quiet: ib_umem_dmabuf_map_pages()-style use of the DMA side only.
static int qux_program(struct qux_hw *hw, struct dma_buf_attachment *attach)
{
	struct sg_table *sgt;
	struct scatterlist *sg;
	int i;

	dma_resv_lock(attach->dmabuf->resv, NULL);
	sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
	dma_resv_unlock(attach->dmabuf->resv);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	/* ok: R17 */
	for_each_sgtable_dma_sg(sgt, sg, i)
		qux_write_pte(hw, i, sg_dma_address(sg), sg_dma_len(sg));
	return 0;
}
