// On a 5.15 target dma_pci_p2pdma_supported() and ib_dma_pci_p2p_dma_supported() do not exist: R3
// does not ask for them on a .supports_pci_p2pdma callback that returns true, nor on a hand-rolled
// dma_ops test (the core rejected dma_virt_ops clients itself from 5.3).
// kernel-version: 5.15
static bool example_supports_pci_p2pdma(struct example_ctrl *ctrl)
{
	/* ok: R3 - the helper does not exist before 6.0 */
	return true;
}

static bool example_dev_p2p_capable(struct device *dev)
{
	/* ok: R3 - the helper does not exist before 6.0 */
	if (get_dma_ops(dev) == NULL)
		return true;
	return false;
}

static const struct example_ctrl_ops example_ctrl_ops = {
	.name			= "example",
	.supports_pci_p2pdma	= example_supports_pci_p2pdma,
	.p2p_capable		= example_dev_p2p_capable,
};
