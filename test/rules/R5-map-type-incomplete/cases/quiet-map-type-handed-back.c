// R5 stays quiet: the map type is returned or stored; the caller decides on it.
// kernel-version: 6.19
static enum pci_p2pdma_map_type foo_route(struct foo *foo, struct device *dev)
{
	enum pci_p2pdma_map_type type = pci_p2pdma_map_type(foo->provider, dev);

	// ok: R5
	if (type == PCI_P2PDMA_MAP_BUS_ADDR)
		dev_dbg(dev, "switch-local P2P\n");
	return type;
}

static void bar_remember(struct bar_req *req, struct device *dev, struct page *page)
{
	req->map = pci_p2pdma_state(&req->state, dev, page);
	// ok: R5
	if (req->map == PCI_P2PDMA_MAP_THRU_HOST_BRIDGE)
		req->attrs |= DMA_ATTR_MMIO;
}

/* Only the NONE route is told apart: not a dispatch between P2P routes. */
static bool baz_is_host(struct device *dev, struct page *page)
{
	struct pci_p2pdma_map_state st = {};

	// ok: R5
	if (pci_p2pdma_state(&st, dev, page) == PCI_P2PDMA_MAP_NONE)
		pr_debug("host page\n");
	return true;
}
