// R8 fires: a dma-buf exporter maps its own BAR for the importer's device with dma_map_resource().
struct demo_buf {
	struct pci_dev *pdev;
	int bar;
	u64 offset;
	size_t size;
};

static struct sg_table *demo_map_dma_buf(struct dma_buf_attachment *attach,
					 enum dma_data_direction dir)
{
	struct demo_buf *buf = attach->dmabuf->priv;
	struct sg_table *sgt;
	dma_addr_t addr;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt || sg_alloc_table(sgt, 1, GFP_KERNEL))
		return ERR_PTR(-ENOMEM);

	/* ruleid: R8 */
	addr = dma_map_resource(attach->dev,
				pci_resource_start(buf->pdev, buf->bar) + buf->offset,
				buf->size, dir, DMA_ATTR_SKIP_CPU_SYNC);
	if (dma_mapping_error(attach->dev, addr))
		return ERR_PTR(-EIO);
	sg_dma_address(sgt->sgl) = addr;
	sg_dma_len(sgt->sgl) = buf->size;
	return sgt;
}

static dma_addr_t demo_map_bus(struct pci_dev *provider, struct device *client, size_t len)
{
	phys_addr_t bus = pci_bus_address(provider, 4);

	// ruleid: R8
	return dma_map_resource(client, (phys_addr_t)bus, len, DMA_BIDIRECTIONAL, 0);
}

static dma_addr_t demo_map_resource_start(struct pci_dev *provider, struct device *client)
{
	// ruleid: R8
	return dma_map_resource(client, provider->resource[2].start, SZ_64K, DMA_TO_DEVICE, 0);
}

static const struct dma_buf_ops demo_dmabuf_ops = {
	.map_dma_buf = demo_map_dma_buf,
};
