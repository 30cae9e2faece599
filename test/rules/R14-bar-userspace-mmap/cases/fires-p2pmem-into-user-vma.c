// R14 fires: a driver .mmap or fault handler inserts pci_alloc_p2pmem() memory into a user VMA,
// through a local pfn, a field filled elsewhere, and a page of the buffer.
struct foo_buf {
	struct pci_dev *pdev;
	void *kaddr;
	size_t len;
};

static int foo_buf_alloc(struct foo_buf *fb, struct pci_dev *pdev, size_t len)
{
	fb->kaddr = pci_alloc_p2pmem(pdev, len);
	if (!fb->kaddr)
		return -ENOMEM;
	fb->pdev = pdev;
	fb->len = len;
	return 0;
}

static int foo_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct foo_dev *fdev = filp->private_data;
	size_t len = vma->vm_end - vma->vm_start;
	unsigned long pfn;
	void *buf;

	buf = pci_alloc_p2pmem(fdev->pdev, len);
	if (!buf)
		return -ENOMEM;
	pfn = virt_to_phys(buf) >> PAGE_SHIFT;
	vm_flags_set(vma, VM_MIXEDMAP);
	// ruleid: R14(error) - p2pmem pages from a driver handler (calibration: E)
	return remap_pfn_range(vma, vma->vm_start, pfn, len,
			       vma->vm_page_prot);
}

static vm_fault_t foo_fault(struct vm_fault *vmf)
{
	struct foo_buf *fb = vmf->vma->vm_private_data;
	void *vaddr = fb->kaddr + (vmf->pgoff << PAGE_SHIFT);

	// ruleid: R14
	return vmf_insert_pfn(vmf->vma, vmf->address,
			      PHYS_PFN(virt_to_phys(vaddr)));
}

static int foo_mmap_pages(struct foo_buf *fb, struct vm_area_struct *vma)
{
	unsigned long addr;
	int ret;

	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		// ruleid: R14
		ret = vm_insert_page(vma, addr, virt_to_page(fb->kaddr + (addr - vma->vm_start)));
		if (ret)
			return ret;
	}
	return 0;
}
