// R4 stays quiet: every distance result decides something.
// kernel-version: 6.2
static int dist_return(struct pci_dev *provider, struct device *client)
{
	// ok: R4
	if (pci_p2pdma_distance(provider, client, true) < 0)
		return -EINVAL;
	return 0;
}

static int dist_local(struct pci_dev *provider, struct device **clients, int n)
{
	// ok: R4
	int dist = pci_p2pdma_distance_many(provider, clients, n, true);

	if (dist < 0) {
		dev_warn(&provider->dev, "no P2P path\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int dist_passed(struct pci_dev *provider, struct device *client)
{
	// ok: R4
	return pci_p2pdma_distance(provider, client, false);
}

static int dist_warn_then_fail(struct foo_attach *fa, struct pci_dev *provider)
{
	int ret;

	// ok: R4
	ret = pci_p2pdma_distance_many(provider, &fa->dev, 1, true);
	if (WARN_ON(ret < 0))
		goto err;
	return 0;
err:
	fa->peer2peer = false;
	return ret;
}

static int dist_stored(struct foo_attach *fa, struct pci_dev *provider)
{
	// ok: R4
	fa->distance = pci_p2pdma_distance(provider, &fa->dev, true);
	return 0;
}
