// R13 fires: pci_p2pmem_find*() returns a referenced pci_dev that is never dropped.
static void *foo_alloc_near(struct device *client, size_t len)
{
	struct pci_dev *p2p_dev;
	void *buf;

	// ruleid: R13
	p2p_dev = pci_p2pmem_find(client);
	if (!p2p_dev)
		return NULL;
	buf = pci_alloc_p2pmem(p2p_dev, len);
	if (!buf)
		return NULL;
	pci_info(p2p_dev, "using p2pmem\n");
	return buf;
}

static bool foo_has_provider(struct device **clients, int n)
{
	// ruleid: R13
	if (!pci_p2pmem_find_many(clients, n))
		return false;
	return true;
}
