// R9 fires: a peer device's BAR bus address built by hand and written into a descriptor.
struct demo_desc {
	__le64 addr;
	__le32 len;
};

static void demo_post(struct demo_desc *desc, struct pci_dev *peer_pdev, u64 off, u32 len)
{
	// ruleid: R9
	desc->addr = cpu_to_le64(pci_bus_address(peer_pdev, 2) +
				 off);
	desc->len = cpu_to_le32(len);
}
