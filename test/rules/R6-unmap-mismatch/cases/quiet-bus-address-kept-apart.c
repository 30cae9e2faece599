// R6 stays quiet when the bus-address path never reaches the unmap: the unmap sits in the arm that
// excludes it (the same test, or a flag recorded at map time), or the error label is only reached
// from the mapped arm.
// kernel-version: 6.19
static int example_map(struct device *dev, struct dma_iova_state *state, struct p2pdma_provider *provider,
		       struct phys_vec *vec, struct example_cmd *cmd)
{
	dma_addr_t addr;

	if (!state) {
		addr = pci_p2pdma_bus_addr_map(provider, vec->paddr);
	} else {
		addr = dma_map_phys(dev, vec->paddr, vec->len, DMA_TO_DEVICE, DMA_ATTR_MMIO);
		if (dma_mapping_error(dev, addr))
			return -EIO;
		if (example_submit(cmd, addr))
			goto err_unmap;
	}
	if (state)
		/* ok: R6 */
		dma_unmap_phys(dev, addr, vec->len, DMA_TO_DEVICE, DMA_ATTR_MMIO);
	return 0;

err_unmap:
	/* ok: R6 */
	dma_unmap_phys(dev, addr, vec->len, DMA_TO_DEVICE, DMA_ATTR_MMIO);
	return -EIO;
}
