// R6 stays quiet when the unmap is the plain DMA API of the plain map: dma_unmap_sgtable() after
// dma_map_sgtable(), dma_unmap_sg() after dma_map_sg() (6.0+ handle P2P entries themselves).
// kernel-version: 6.6
static int example_map_table(struct device *dev, struct sg_table *sgt, struct scatterlist *sgl, int nents)
{
	int ret = dma_map_sgtable(dev, sgt, DMA_TO_DEVICE, 0);
	int nr;

	if (ret)
		return ret == -EREMOTEIO ? -EREMOTEIO : -ENOMEM;
	nr = dma_map_sg(dev, sgl, nents, DMA_FROM_DEVICE);
	if (!nr)
		goto out_unmap_table;
	if (example_submit(dev, sgt, sgl, nr))
		goto out_unmap_sg;
	return 0;
out_unmap_sg:
	/* ok: R6 */
	dma_unmap_sg(dev, sgl, nents, DMA_FROM_DEVICE);
out_unmap_table:
	/* ok: R6 */
	dma_unmap_sgtable(dev, sgt, DMA_TO_DEVICE, 0);
	return -EIO;
}
