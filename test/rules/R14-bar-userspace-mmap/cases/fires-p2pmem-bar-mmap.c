// R14 fires when a driver .mmap maps the BAR it also registers as p2pmem (BAR 4 here); mapping
// its register BAR 0, which is not p2pmem, stays quiet.
#define FOO_CMB_BAR 4

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pci_p2pdma_add_resource(pdev, FOO_CMB_BAR, pci_resource_len(pdev, FOO_CMB_BAR), 0);
	if (ret)
		return ret;
	pci_p2pmem_publish(pdev, true);
	return 0;
}

static int foo_cmb_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct foo_dev *fdev = filp->private_data;
	phys_addr_t start = pci_resource_start(fdev->pdev, FOO_CMB_BAR);

	vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	// ruleid: R14
	return io_remap_pfn_range(vma, vma->vm_start, start >> PAGE_SHIFT,
				  vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static int foo_regs_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct foo_dev *fdev = filp->private_data;

	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	/* ok: R14 - BAR 0 holds registers, it is not p2pmem */
	return io_remap_pfn_range(vma, vma->vm_start,
				  pci_resource_start(fdev->pdev, 0) >> PAGE_SHIFT,
				  vma->vm_end - vma->vm_start, vma->vm_page_prot);
}
