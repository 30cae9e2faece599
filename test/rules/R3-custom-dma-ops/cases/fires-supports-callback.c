// R3 fires: .supports_pci_p2pdma returns true without a capability check.
// kernel-version: 6.2
static bool foo_supports_pci_p2pdma(struct nvme_ctrl *ctrl)
{
	// ruleid: R3
	return true;
}

static const struct nvme_ctrl_ops foo_ctrl_ops = {
	.name			= "foo",
	.supports_pci_p2pdma	= foo_supports_pci_p2pdma,
};
