// R4 fires: the result of pci_p2pdma_distance*() is thrown away or only logged.
// kernel-version: 6.2
static void dist_discard(struct pci_dev *provider, struct device *client)
{
	// ruleid: R4(warning)
	(void)pci_p2pdma_distance(provider, client, true);
}

static void dist_logged(struct pci_dev *provider, struct device **clients, int n)
{
	int dist;

	// ruleid: R4(warning)
	dist = pci_p2pdma_distance_many(provider, clients, n,
					true);
	if (dist < 0)
		dev_warn(&provider->dev, "clients cannot reach p2pmem: %d\n", dist);
}

static void dist_warned(struct pci_dev *provider, struct device *client)
{
	// ruleid: R4(warning)
	WARN_ON_ONCE(pci_p2pdma_distance(provider, client, false) < 0);
}

static void dist_if_logs(struct pci_dev *provider, struct device *client)
{
	// ruleid: R4(warning)
	if (pci_p2pdma_distance(provider, client, true) < 0)
		pr_info("p2p: %s cannot reach %s\n", dev_name(client), pci_name(provider));
}
