// R14 stays quiet on ordinary BAR mmaps of registers (no p2pmem registered in the file) and on
// a dma-buf exporter's own mmap op.
static int foo_bar_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct foo_dev *fdev = filp->private_data;
	int bar = vma->vm_pgoff >> (40 - PAGE_SHIFT);

	/* ok: R14 */
	return pci_mmap_resource_range(fdev->pdev, bar, vma, pci_mmap_mem, 0);
}

static int foo_regs_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct foo_dev *fdev = filp->private_data;
	phys_addr_t regs = pci_resource_start(fdev->pdev, 2);

	/* ok: R14 */
	return io_remap_pfn_range(vma, vma->vm_start, regs >> PAGE_SHIFT,
				  vma->vm_end - vma->vm_start, pgprot_noncached(vma->vm_page_prot));
}

static int foo_dmabuf_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct foo_dmabuf *priv = dmabuf->priv;

	/* ok: R14 - the exporter's own mmap op */
	return remap_pfn_range(vma, vma->vm_start, PHYS_PFN(priv->phys),
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static const struct dma_buf_ops foo_dmabuf_ops = {
	.mmap = foo_dmabuf_mmap,
};
