// R8 fires: the BAR address is kept in a phys_vec of the exporter, mapped in the map callback.
struct demo_dma_buf {
	struct pci_dev *pdev;
	struct phys_vec phys_vec;
};

static void demo_ranges(struct demo_dma_buf *priv, u32 bar, u64 offset, u64 len)
{
	priv->phys_vec.len = len;
	priv->phys_vec.paddr = pci_resource_start(priv->pdev, bar);
	priv->phys_vec.paddr += offset;
}

static struct sg_table *demo_map(struct dma_buf_attachment *attachment, enum dma_data_direction dir)
{
	struct demo_dma_buf *priv = attachment->dmabuf->priv;
	struct phys_vec *phys_vec = &priv->phys_vec;
	struct sg_table *sgt = demo_alloc_table();
	dma_addr_t addr;

	// ruleid: R8
	addr = dma_map_resource(attachment->dev, phys_vec->paddr, phys_vec->len, dir,
				DMA_ATTR_SKIP_CPU_SYNC);
	sg_dma_address(sgt->sgl) = addr;
	return sgt;
}
