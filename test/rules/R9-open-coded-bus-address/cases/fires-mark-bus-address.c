// R9 fires: a driver marks its own entries as bus addresses; only map_sg implementations may.
static int demo_export_sg(struct scatterlist *sg, struct p2pdma_provider *provider, phys_addr_t phys,
			  size_t len)
{
	sg_dma_address(sg) = pci_p2pdma_bus_addr_map(provider, phys);
	sg_dma_len(sg) = len;
	// ruleid: R9
	sg_dma_mark_bus_address(sg);
	return 0;
}
