// R19 stays quiet on 6.11, where struct dma_map_ops still has its flags (the row is gone in
// 6.12) and DMA_F_PCI_P2PDMA_SUPPORTED still exists.
// kernel-version: 6.11
static void demo_setup_ops(struct dma_map_ops *ops)
{
	ops->map_sg = demo_map_sg;
	/* ok: R19 */
	ops->flags |= DMA_F_PCI_P2PDMA_SUPPORTED;
}
