// R2 fires: pci_alloc_p2pmem memory reaches dma_map_single/dma_map_page, directly, through a
// local, through virt_to_page and a cast, over several lines.
static int cmb_setup(struct foo_ctrl *ctrl, struct pci_dev *pdev, size_t len)
{
	void *buf;
	struct page *page;
	dma_addr_t addr;

	// ruleid: R2(error)
	addr = dma_map_single(&ctrl->peer->dev,
			      pci_alloc_p2pmem(pdev, len), len, DMA_TO_DEVICE);

	buf = pci_alloc_p2pmem(pdev, SZ_4K);
	if (!buf)
		return -ENOMEM;
	page = virt_to_page(buf);
	// ruleid: R2(error)
	addr = dma_map_page(ctrl->dma_dev, page, 0, SZ_4K,
			    DMA_BIDIRECTIONAL);
	// ruleid: R2
	ctrl->dma = ib_dma_map_single(ctrl->ibdev, (void *)buf + 512, 512, DMA_FROM_DEVICE);
	return 0;
}
