// R3 fires: P2P support decided by testing the device's dma_ops by hand, in the callback that
// answers .supports_pci_p2pdma (what the function is registered as, not what it is called).
static bool foo_check_dma(struct nvme_ctrl *ctrl)
{
	struct device *dma_dev = ctrl->dev;

	// ruleid: R3
	if (!get_dma_ops(dma_dev))
		return true;
	// ruleid: R3
	if (dma_dev->dma_ops == NULL)
		return true;
	return false;
}

static const struct nvme_ctrl_ops foo_ctrl_ops = {
	.supports_pci_p2pdma	= foo_check_dma,
};

static bool foo_p2p_capable_name_only(struct device *dev)
{
	/* ok: R3 - a name is no evidence: this decides nothing about P2P */
	if (!get_dma_ops(dev))
		return true;
	return false;
}
