// R4 fires: the exporter checks the distance but never the attachment's peer-to-peer flag, so an
// importer that needs struct pages gets MMIO addresses.
// kernel-version: 6.8
static int baz_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct baz_dev *bdev = dmabuf->priv;

	if (pci_p2pdma_distance(bdev->pdev, attach->dev, true) < 0)
		return -EOPNOTSUPP;
	return 0;
}

static int baz_fill(struct scatterlist *sg, u64 bar_addr, size_t len, struct device *dev,
		    enum dma_data_direction dir)
{
	dma_addr_t addr = dma_map_resource(dev, bar_addr, len, dir, DMA_ATTR_SKIP_CPU_SYNC);

	sg_dma_address(sg) = addr;
	return dma_mapping_error(dev, addr);
}

static struct sg_table *baz_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct baz_dev *bdev = attach->dmabuf->priv;
	struct sg_table *sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);

	sg_alloc_table(sgt, 1, GFP_KERNEL);
	baz_fill(sgt->sgl, bdev->bar_addr, bdev->size, attach->dev, dir);
	return sgt;
}

static const struct dma_buf_ops baz_dmabuf_ops = {
	.attach = baz_attach,
	// ruleid: R4
	.map_dma_buf = baz_map,
};
