// R13 fires: a pci_p2pmem_alloc_sgl() list goes back with kfree()/sgl_free() instead of
// pci_p2pmem_free_sgl(), for a local and for a field only that allocator fills.
static int foo_sgl_roundtrip(struct pci_dev *p2p_dev, u32 len)
{
	struct scatterlist *sgl;
	unsigned int nents;

	sgl = pci_p2pmem_alloc_sgl(p2p_dev, &nents, len);
	if (!sgl)
		return -ENOMEM;
	foo_use(sgl, nents);
	// ruleid: R13
	kfree(sgl);
	return 0;
}

static int foo_req_alloc(struct foo_req *req)
{
	req->p2p_sgl = pci_p2pmem_alloc_sgl(req->p2p_dev, &req->nents, req->len);
	return req->p2p_sgl ? 0 : -ENOMEM;
}

static void foo_req_free(struct foo_req *req)
{
	// ruleid: R13
	sgl_free(req->p2p_sgl);
}
