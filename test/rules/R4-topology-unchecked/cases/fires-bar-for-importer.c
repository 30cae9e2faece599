// R4 fires: a dma-buf exporter maps its BAR (pci_resource_start) for the importing device with no
// distance or map-type call anywhere; the attachment's peer-to-peer flag is checked, so only the
// reachability is missing.
// kernel-version: 6.8
#define FOO_BAR 2

static struct sg_table *foo_map_dma_buf(struct dma_buf_attachment *attach,
					enum dma_data_direction dir)
{
	struct foo_buf *fbuf = attach->dmabuf->priv;
	phys_addr_t phys = pci_resource_start(fbuf->pdev, FOO_BAR) + fbuf->offset;
	struct sg_table *sgt;
	dma_addr_t addr;

	if (!attach->peer2peer)
		return ERR_PTR(-EOPNOTSUPP);
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt || sg_alloc_table(sgt, 1, GFP_KERNEL))
		return ERR_PTR(-ENOMEM);
	// ruleid: R4
	addr = dma_map_resource(attach->dev, phys, fbuf->size, dir,
				DMA_ATTR_SKIP_CPU_SYNC);
	sg_dma_address(sgt->sgl) = addr;
	sg_dma_len(sgt->sgl) = fbuf->size;
	return sgt;
}

static const struct dma_buf_ops foo_dmabuf_ops = {
	.map_dma_buf = foo_map_dma_buf,
};
