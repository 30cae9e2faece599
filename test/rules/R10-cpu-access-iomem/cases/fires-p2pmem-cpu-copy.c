// R10 fires: pci_alloc_p2pmem() memory (iomem for the CPU) written with memset/memcpy.
struct demo_ctrl {
	struct pci_dev *p2p_dev;
	void *cmb;
	size_t cmb_size;
};

static int demo_alloc(struct demo_ctrl *ctrl, size_t len)
{
	void *buf = pci_alloc_p2pmem(ctrl->p2p_dev, len);

	if (!buf)
		return -ENOMEM;
	// ruleid: R10(error)
	memset(buf, 0, len);
	ctrl->cmb = pci_alloc_p2pmem(ctrl->p2p_dev, SZ_64K);
	return ctrl->cmb ? 0 : -ENOMEM;
}

static void demo_submit(struct demo_ctrl *ctrl, const void *cmd, unsigned int tail)
{
	// ruleid: R10(error)
	memcpy((u8 *)ctrl->cmb + tail * 64,
	       cmd, 64);
}

static int demo_read_back(struct demo_ctrl *ctrl, void __user *ubuf, size_t len)
{
	// ruleid: R10(error)
	return copy_to_user(ubuf, ctrl->cmb, len) ? -EFAULT : 0;
}

static u32 demo_digest(struct demo_ctrl *ctrl, struct shash_desc *desc, size_t len)
{
	void *va = pci_alloc_p2pmem(ctrl->p2p_dev, len);

	if (!va)
		return 0;
	// ruleid: R10(error)
	crypto_shash_update(desc, va, len);
	// ruleid: R10(error)
	return crc32_le(~0, va, len);
}
