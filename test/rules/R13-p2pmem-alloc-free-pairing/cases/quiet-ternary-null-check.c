// R13 stays quiet: the allocation is NULL-checked by a conditional expression.
static int map_cmb(struct pci_dev *pdev, struct device *dev)
{
	void *p = pci_alloc_p2pmem(pdev, 64);

	/* ok: R13 */
	return p ? do_use(dev, p, 64) : -ENOMEM;
}
