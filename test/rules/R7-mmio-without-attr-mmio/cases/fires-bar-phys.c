// R7 fires: phys addresses of a PCI BAR (pci_resource_start(), a dma-buf phys_vec, a provider range
// also given to pci_p2pdma_bus_addr_map()) are mapped without DMA_ATTR_MMIO.
// kernel-version: 6.19
struct example_buf {
	struct phys_vec phys_vec;
	struct dma_iova_state *state;
};

static int example_export(struct example_buf *buf, struct pci_dev *pdev, int bar, u64 off)
{
	buf->phys_vec.paddr = pci_resource_start(pdev, bar) + off;
	return 0;
}

static dma_addr_t example_map_bar(struct device *dev, struct pci_dev *pdev, size_t len)
{
	phys_addr_t bar_phys = pci_resource_start(pdev, 4);

	/* ruleid: R7(warning) */
	return dma_map_phys(dev, bar_phys + SZ_4K, len, DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
}

static dma_addr_t example_map_vec(struct device *dev, struct phys_vec *vec, size_t n)
{
	/* ruleid: R7(warning) */
	return dma_map_phys(dev, vec[n].paddr, vec[n].len, DMA_TO_DEVICE, 0);
}

static dma_addr_t example_map_provider(struct device *dev, struct p2pdma_provider *provider,
				       phys_addr_t range, size_t len, bool same_switch)
{
	if (same_switch)
		return pci_p2pdma_bus_addr_map(provider, range);
	/* ruleid: R7(warning) */
	return dma_map_phys(dev, range, len, DMA_TO_DEVICE,
			    DMA_ATTR_NO_WARN);
}

static dma_addr_t example_map_host(struct device *dev, struct page *page, size_t len)
{
	/* ok: R7 - a host page */
	return dma_map_phys(dev, page_to_phys(page), len, DMA_TO_DEVICE, 0);
}
