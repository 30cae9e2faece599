// R9 stays quiet: a device found by ID (the IGD an AGP bridge driver serves, as intel-gtt does)
// is a companion of the driver, not a P2P peer; storing its aperture's bus address is the
// driver's own business.
static int demo_gtt_init(void)
{
	demo_private.pcidev = pci_get_device(PCI_VENDOR_ID_INTEL, 0x1234, NULL);
	if (!demo_private.pcidev)
		return -ENODEV;
	/* ok: R9 */
	demo_private.gma_bus_addr = pci_bus_address(demo_private.pcidev, 2);
	return 0;
}
