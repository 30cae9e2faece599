// R3 fires: P2P support decided by testing the device's dma_ops by hand.
static bool foo_p2p_capable(struct device *dma_dev)
{
	// ruleid: R3
	if (!get_dma_ops(dma_dev))
		return true;
	// ruleid: R3
	if (dma_dev->dma_ops == NULL)
		return true;
	return false;
}
