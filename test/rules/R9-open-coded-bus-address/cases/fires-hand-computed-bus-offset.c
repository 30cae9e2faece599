// R9 fires: the CPU-to-bus offset of a BAR computed by hand, in either order.
struct demo_peer {
	struct pci_dev *pdev;
	s64 bus_off;
};

static void demo_peer_init(struct demo_peer *peer, struct pci_dev *pdev, int bar)
{
	peer->pdev = pdev;
	// ruleid: R9
	peer->bus_off = pci_bus_address(pdev, bar) - pci_resource_start(pdev, bar);
}

static s64 demo_offset(struct pci_dev *pdev, int bar)
{
	resource_size_t cpu = pdev->resource[bar].start;
	pci_bus_addr_t bus = pci_bus_address(pdev, bar);

	// ruleid: R9
	return (s64)(cpu -
		     bus);
}
