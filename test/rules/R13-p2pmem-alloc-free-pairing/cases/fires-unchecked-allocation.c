// R13 fires (error): a pci_alloc_p2pmem() result is used without a NULL check: copied to,
// dereferenced, translated to a bus address, or passed straight to another call.
static int foo_fill(struct pci_dev *pdev, const void *src, size_t len)
{
	void *buf;

	// ruleid: R13(error)
	buf = pci_alloc_p2pmem(pdev, len);
	memcpy_toio(buf, src, len);
	return 0;
}

static int nvme_alloc_sq_cmds(struct nvme_dev *dev, struct nvme_queue *nvmeq, int qid, int depth)
{
	struct pci_dev *pdev = to_pci_dev(dev->dev);

	if (qid && dev->cmb_use_sqes && (dev->cmbsz & NVME_CMBSZ_SQS)) {
		// ruleid: R13
		nvmeq->sq_cmds = pci_alloc_p2pmem(pdev, SQ_SIZE(depth));
		nvmeq->sq_dma_addr = pci_p2pmem_virt_to_bus(pdev,
							    nvmeq->sq_cmds);
		if (nvmeq->sq_dma_addr) {
			set_bit(NVMEQ_SQ_CMB, &nvmeq->flags);
			return 0;
		}
		pci_free_p2pmem(pdev, nvmeq->sq_cmds, SQ_SIZE(depth));
	}
	return -ENOMEM;
}

static struct scatterlist *foo_one_entry(struct pci_dev *pdev, struct scatterlist *sg, u32 len)
{
	sg_init_table(sg, 1);
	// ruleid: R13
	sg_set_buf(sg, pci_alloc_p2pmem(pdev, len), len);
	return sg;
}

static void foo_header(struct foo_dev *fdev)
{
	struct foo_hdr *hdr =
		// ruleid: R13
		(struct foo_hdr *)pci_alloc_p2pmem(fdev->pdev, sizeof(*hdr));

	hdr->magic = FOO_MAGIC;
	fdev->hdr = hdr;
}
