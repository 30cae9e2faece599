// R5 stays quiet: every route is handled, in the blk-mq-dma and dma-buf-mapping manners.
// kernel-version: 6.19
static bool blk_like_map(struct blk_dma_iter *iter, struct device *dma_dev, struct phys_vec *vec)
{
	// ok: R5
	switch (pci_p2pdma_state(&iter->p2pdma, dma_dev, phys_to_page(vec->paddr))) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		iter->addr = pci_p2pdma_bus_addr_map(&iter->p2pdma, vec->paddr);
		return true;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		iter->attrs |= DMA_ATTR_MMIO;
		break;
	case PCI_P2PDMA_MAP_NONE:
		break;
	default:
		iter->status = BLK_STS_INVAL;
		return false;
	}
	// ok: R5
	iter->addr = dma_map_phys(dma_dev, vec->paddr, vec->len, iter->dir, iter->attrs);
	return !dma_mapping_error(dma_dev, iter->addr);
}

static struct sg_table *buf_like_map(struct dma_buf_attachment *attach, struct p2pdma_provider *provider,
				     struct dma_buf_dma *dma, size_t size)
{
	int ret;

	// ok: R5
	switch (pci_p2pdma_map_type(provider, attach->dev)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		break;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		dma->state = kzalloc(sizeof(*dma->state), GFP_KERNEL);
		if (!dma->state) {
			ret = -ENOMEM;
			goto err_free_dma;
		}
		dma_iova_try_alloc(attach->dev, dma->state, 0, size);
		break;
	default:
		ret = -EINVAL;
		goto err_free_dma;
	}
	return &dma->sgt;
err_free_dma:
	kfree(dma);
	return ERR_PTR(ret);
}

/* An early refusal of NOT_SUPPORTED, then an if/else between the two P2P routes. */
static int early_refusal(struct foo_ctx *ctx, struct page *page, dma_addr_t *out)
{
	enum pci_p2pdma_map_type t = pci_p2pdma_state(&ctx->st, ctx->dev, page);

	if (t == PCI_P2PDMA_MAP_NOT_SUPPORTED)
		return -EREMOTEIO;
	if (t == PCI_P2PDMA_MAP_BUS_ADDR)
		// ok: R5
		*out = pci_p2pdma_bus_addr_map(&ctx->st, page_to_phys(page));
	else
		// ok: R5
		*out = dma_map_phys(ctx->dev, page_to_phys(page), PAGE_SIZE, DMA_TO_DEVICE,
				    t == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE ? DMA_ATTR_MMIO : 0);
	return 0;
}
