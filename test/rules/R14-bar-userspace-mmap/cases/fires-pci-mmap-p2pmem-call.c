// R14 fires on new calls to pci_mmap_p2pmem(), the never-merged user mmap helper.
static int nvme_cmb_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct nvme_dev *dev = filp->private_data;

	if (!dev->cmb_use_sqes)
		return -EINVAL;
	// ruleid: R14
	return pci_mmap_p2pmem(to_pci_dev(dev->dev),
			       vma);
}
