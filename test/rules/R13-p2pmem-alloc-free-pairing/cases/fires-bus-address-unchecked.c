// R13 fires: a 0 from pci_p2pmem_virt_to_bus() (not p2pmem of that device) is not handled.
static void foo_program(struct foo_dev *fdev, struct foo_cmd *cmd, void *buf)
{
	pci_bus_addr_t bus;

	// ruleid: R13
	cmd->addr = cpu_to_le64(pci_p2pmem_virt_to_bus(fdev->pdev, buf));
	// ruleid: R13
	bus = pci_p2pmem_virt_to_bus(fdev->pdev,
				     buf + FOO_RING_OFFSET);
	writeq(bus, fdev->regs + FOO_RING_BASE);
}
