// R8 stays quiet: a generic field name (`start`) set from a BAR in one struct does not make
// every `->start` of the file a BAR address (here a DMA engine's platform FIFO).
struct demo_window {
	u64 start;
	u64 size;
};

static void demo_window_init(struct demo_window *win, struct pci_dev *pdev)
{
	win->start = pci_resource_start(pdev, 2);
	win->size = pci_resource_len(pdev, 2);
}

static dma_addr_t demo_fifo(struct dma_chan *chan, struct resource *res)
{
	/* ok: R8 */
	return dma_map_resource(chan->device->dev, res->start + 0x10, 4, DMA_TO_DEVICE, 0);
}
