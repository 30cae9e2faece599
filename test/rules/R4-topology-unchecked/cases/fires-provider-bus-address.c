// R4 fires: an MMIO provider (pcim_p2pdma_provider) hands bus addresses to importers without
// asking for the map type of provider and importer: BUS_ADDR is assumed for every importer.
// kernel-version: 6.19
static int bar_init_provider(struct bar_dev *bdev, int bar)
{
	bdev->provider = pcim_p2pdma_provider(bdev->pdev, bar);
	if (IS_ERR(bdev->provider))
		return PTR_ERR(bdev->provider);
	return 0;
}

static struct sg_table *bar_map(struct dma_buf_attachment *a, enum dma_data_direction dir)
{
	struct bar_buf *priv = a->dmabuf->priv;
	struct sg_table *sgt = bar_alloc_sgt(priv);

	if (!a->peer2peer)
		return ERR_PTR(-EOPNOTSUPP);
	// ruleid: R4
	sg_dma_address(sgt->sgl) = pci_p2pdma_bus_addr_map(priv->bdev->provider,
							   priv->phys);
	return sgt;
}

static const struct dma_buf_ops bar_dmabuf_ops = {
	.map_dma_buf = bar_map,
	.release = bar_release,
};
