// R7 fires on unmaps that undo MMIO mappings made without the attribute, in the same function
// (error label) and in another function of the file (the IOVA state through a struct field).
// kernel-version: 6.19
static int example_dmabuf_map(struct dma_buf_attachment *attachment, struct example_priv *priv,
			      enum dma_data_direction dir)
{
	struct dma_iova_state *state = attachment->priv;
	struct dma_buf_phys_vec *vec = priv->phys_vec;
	int ret;

	/* ruleid: R7 */
	ret = dma_iova_link(attachment->dev, state, vec->paddr, 0,
			    priv->phys_vec.len, dir, DMA_ATTR_SKIP_CPU_SYNC);
	if (ret)
		return ret;
	ret = dma_iova_sync(attachment->dev, state, 0, priv->phys_vec.len);
	if (ret)
		goto err_unlink;
	return 0;

err_unlink:
	/* ruleid: R7 */
	dma_iova_destroy(attachment->dev, state, priv->phys_vec.len, dir, DMA_ATTR_SKIP_CPU_SYNC);
	return ret;
}

static void example_dmabuf_unmap(struct dma_buf_attachment *attachment, struct example_priv *priv,
				 enum dma_data_direction dir)
{
	struct dma_iova_state *state = attachment->priv;

	/* ruleid: R7 */
	dma_iova_unlink(attachment->dev, state, 0, priv->phys_vec.len, dir, 0);
	/* ok: R7 - the attribute is there */
	dma_iova_destroy(attachment->dev, state, priv->phys_vec.len, dir, DMA_ATTR_MMIO);
}
