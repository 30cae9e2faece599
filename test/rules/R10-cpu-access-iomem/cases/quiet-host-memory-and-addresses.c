// R10 stays quiet: host memory, and P2P VAs used only for their address (how pci_p2pmem_alloc_sgl builds SGLs).
static int demo_build(struct pci_dev *p2p_dev, struct scatterlist *sg, size_t len, struct device *dma)
{
	void *p2p = pci_alloc_p2pmem(p2p_dev, len);
	struct page *host = alloc_page(GFP_KERNEL);
	void *kbuf = kmalloc(len, GFP_KERNEL);

	if (!p2p || !host || !kbuf)
		return -ENOMEM;
	/* ok: R10 */
	sg_set_buf(sg, p2p, len);
	/* ok: R10 */
	get_page(virt_to_page(p2p));
	/* ok: R10 */
	memset(kmap_local_page(host), 0, PAGE_SIZE);
	/* ok: R10 */
	memcpy(kbuf, page_address(host), len);
	/* ok: R10 - mapping a P2P VA with dma_map_single is R2's business */
	return dma_map_single(dma, sg_virt(sg), len, DMA_TO_DEVICE) ? 0 : -EIO;
}
