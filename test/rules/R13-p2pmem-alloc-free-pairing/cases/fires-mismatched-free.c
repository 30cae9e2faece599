// R13 fires: pci_free_p2pmem() gets a different size or pdev than the pci_alloc_p2pmem() call.
static int foo_probe_buffer(struct pci_dev *pdev, struct pci_dev *peer, size_t len)
{
	void *buf = pci_alloc_p2pmem(pdev, len);

	if (!buf)
		return -ENOMEM;
	if (foo_test(buf)) {
		// ruleid: R13
		pci_free_p2pmem(pdev, buf, PAGE_SIZE);
		return -EIO;
	}
	// ruleid: R13
	pci_free_p2pmem(peer,
			buf, len);
	return 0;
}

/* The same for P2P lists: the pdev is NULL on the unwinding path, or another device. */
static int foo_alloc_sgls(struct foo_req *req, struct pci_dev *p2p_dev)
{
	req->p2p_dev = NULL;
	req->sg = pci_p2pmem_alloc_sgl(p2p_dev, &req->sg_cnt, req->data_len);
	if (!req->sg)
		return -ENOMEM;
	req->md_sg = pci_p2pmem_alloc_sgl(p2p_dev, &req->md_sg_cnt, req->md_len);
	if (!req->md_sg) {
		// ruleid: R13
		pci_p2pmem_free_sgl(req->p2p_dev, req->sg);
		return -ENOMEM;
	}
	req->p2p_dev = p2p_dev;
	return 0;
}

static void foo_sgl_other_dev(struct pci_dev *provider, struct pci_dev *client, u32 len)
{
	unsigned int n;
	struct scatterlist *sgl = pci_p2pmem_alloc_sgl(provider, &n, len);

	if (!sgl)
		return;
	// ruleid: R13
	pci_p2pmem_free_sgl(client, sgl);
}
