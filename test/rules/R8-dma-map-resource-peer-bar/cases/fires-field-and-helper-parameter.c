// R8 fires: the BAR address travels through a struct field set in probe and a helper's parameter.
struct demo_dev {
	struct pci_dev *pdev;
	struct device *dev;
	u64 bar_phys;
	u64 dram_pci_bar_start;
};

static int demo_probe(struct pci_dev *pdev, struct demo_dev *ddev)
{
	ddev->pdev = pdev;
	ddev->bar_phys = pci_resource_start(pdev, 2);
	return 0;
}

/* an inline wrapper: its callers decide, so the finding is at the call (spec: role `wrapper`) */
static dma_addr_t demo_map_chunk(struct device *importer, u64 bar_address, u64 len)
{
	return dma_map_resource(importer, bar_address, len, DMA_BIDIRECTIONAL,
				DMA_ATTR_SKIP_CPU_SYNC);
}

static int demo_fill(struct demo_dev *ddev, struct device *importer, u64 offset, u64 len)
{
	u64 bar_address = ddev->bar_phys + offset;

	// ruleid: R8
	return demo_map_chunk(importer, bar_address, len) ? 0 : -EIO;
}

static dma_addr_t demo_map_named(struct demo_dev *ddev, struct device *importer, u64 off)
{
	/* ok: R8 - a field's name is no evidence: nothing here or in the patch sets it from a BAR */
	return dma_map_resource(importer, ddev->dram_pci_bar_start + off, PAGE_SIZE,
				DMA_BIDIRECTIONAL, 0);
}
