// R4 fires: p2pmem of one device is mapped for a different (client) device, and nothing in the
// file asks whether the two can reach each other.
// kernel-version: 6.6
struct xfer_ctx {
	struct pci_dev *provider;
	struct device *client_dev;
	void *buf;
	dma_addr_t dma;
};

static int xfer_setup(struct xfer_ctx *ctx, struct pci_dev *client, size_t len)
{
	ctx->buf = pci_alloc_p2pmem(ctx->provider, len);
	if (!ctx->buf)
		return -ENOMEM;
	// ruleid: R4(warning)
	ctx->dma = dma_map_single(&client->dev, ctx->buf, len,
				  DMA_BIDIRECTIONAL);
	return dma_mapping_error(&client->dev, ctx->dma);
}

/*
 * Not reported: the buffer reaches the client through a struct field set in another function,
 * and the reachability check may sit with that setup, outside the lines a patch shows.
 */
static int xfer_map_again(struct xfer_ctx *ctx, size_t len)
{
	// ok: R4
	ctx->dma = dma_map_page(ctx->client_dev, virt_to_page(ctx->buf), 0, len, DMA_TO_DEVICE);
	return 0;
}
