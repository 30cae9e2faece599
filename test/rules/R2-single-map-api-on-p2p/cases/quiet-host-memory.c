// R2 stays quiet: pages from alloc_pages/kmalloc/the page cache, no P2P source in the function.
static int host_map(struct device *dev, struct address_space *mapping, pgoff_t index)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	void *buf = kmalloc(SZ_4K, GFP_KERNEL);
	struct page *cached = find_get_page(mapping, index);
	dma_addr_t a, b, c;

	/* ok: R2 */
	a = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	/* ok: R2 */
	b = dma_map_single(dev, buf, SZ_4K, DMA_TO_DEVICE);
	/* ok: R2 */
	c = dma_map_page(dev, cached, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	return a && b && c ? 0 : -EIO;
}

/* The nvme CMB SQ of the providing device itself: a bus address, no single-map call. */
static int nvme_like_alloc_sq_cmds(struct nvme_dev *dev, struct nvme_queue *nvmeq)
{
	struct pci_dev *pdev = to_pci_dev(dev->dev);

	nvmeq->sq_cmds = pci_alloc_p2pmem(pdev, SQ_SIZE(nvmeq));
	if (!nvmeq->sq_cmds)
		return -ENOMEM;
	/* ok: R2 */
	nvmeq->sq_dma_addr = pci_p2pmem_virt_to_bus(pdev, nvmeq->sq_cmds);
	memcpy_toio(nvmeq->sq_cmds, &dev->cmd, sizeof(dev->cmd));
	return 0;
}
