// R9 stays quiet: the device is called "peer", but nothing in sight says it is another device
// than the driver's own (no provider lookup, no caller handing in one). A name is no evidence:
// this may be the driver's own function of a multi-function card.
struct demo_desc {
	__le64 addr;
	__le32 len;
};

static void demo_post(struct demo_desc *desc, struct pci_dev *peer_pdev, u64 off, u32 len)
{
	/* ok: R9 */
	desc->addr = cpu_to_le64(pci_bus_address(peer_pdev, 2) + off);
	desc->len = cpu_to_le32(len);
}
