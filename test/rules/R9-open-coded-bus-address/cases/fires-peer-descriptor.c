// R9 fires: a peer device's BAR bus address built by hand and written into a descriptor. The
// device is a peer because the driver found it as the P2P provider for its client, and hands it
// to the function that programs the descriptor.
struct demo_desc {
	__le64 addr;
	__le32 len;
};

static void demo_post(struct demo_desc *desc, struct pci_dev *target, u64 off, u32 len)
{
	// ruleid: R9
	desc->addr = cpu_to_le64(pci_bus_address(target, 2) +
				 off);
	desc->len = cpu_to_le32(len);
}

static int demo_queue(struct demo_dev *demo, struct demo_desc *desc, u64 off, u32 len)
{
	struct pci_dev *mem = pci_p2pmem_find(&demo->pdev->dev);

	if (!mem)
		return -ENODEV;
	demo_post(desc, mem, off, len);
	pci_dev_put(mem);
	return 0;
}

static void demo_post_found(struct demo_desc *desc, struct demo_dev *demo, struct device **clients, u64 off)
{
	struct pci_dev *other = pci_p2pmem_find_many(clients, 2);

	if (!other)
		return;
	// ruleid: R9
	desc->addr = cpu_to_le64(pci_bus_address(other, 4) + off);
	pci_dev_put(other);
}
