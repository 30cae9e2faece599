// R19 fires on 6.12 when an added line sets the flags of a struct dma_map_ops by assignment
// (struct dma_map_ops has no flags since 6.12): through a parameter, a local pointer, or a
// file-level ops table, whatever they are called. The flags of other structs are not the row.
// kernel-version: 6.12
static struct dma_map_ops demo_iommu_ops = {
	.map_page = demo_map_page,
	.unmap_page = demo_unmap_page,
};

static void demo_setup_ops(struct dma_map_ops *ops, bool p2p)
{
	ops->map_sg = demo_map_sg;
	ops->unmap_sg = demo_unmap_sg;
	if (p2p)
		/* ruleid: R19(error) */
		ops->flags |= DMA_F_PCI_P2PDMA_SUPPORTED;
}

static void demo_init_ops(struct demo_dev *dd)
{
	struct dma_map_ops *table = &dd->ops;

	/* ruleid: R19(error) */
	table->flags = 0;
	/* ruleid: R19(error) */
	demo_iommu_ops.flags = DEMO_DMA_OPS_FLAGS;
	set_dma_ops(dd->dev, table);
}

static void demo_queue_setup(struct demo_queue *q, struct request_queue *rq)
{
	/* ok: R19 (the flags of a driver struct) */
	q->flags |= DEMO_QUEUE_P2P;
	/* ok: R19 */
	rq->limits.features |= BLK_FEAT_PCI_P2PDMA;
}
