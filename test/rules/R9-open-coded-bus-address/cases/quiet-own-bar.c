// R9 stays quiet: a device programming its own BAR's bus address (CMB for its own SQ, doorbells).
struct demo_nvme {
	struct pci_dev *pdev;
	u64 cmb_bus_addr;
	void __iomem *bar;
};

static void demo_map_cmb(struct demo_nvme *dev, int bar, u64 offset)
{
	struct pci_dev *pdev = dev->pdev;

	/* ok: R9 */
	dev->cmb_bus_addr = pci_bus_address(pdev, bar) + offset;
}

static void demo_doorbell(struct demo_nvme *dev)
{
	/* ok: R9 */
	writel(lower_32_bits(pci_bus_address(dev->pdev, 0) + 0x1000), dev->bar + 0x20);
}
