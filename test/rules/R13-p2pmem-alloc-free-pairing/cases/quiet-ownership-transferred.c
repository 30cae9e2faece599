// R13 stays quiet where ownership is transferred: the allocation is stored in a struct whose
// release function frees it, or returned; the pci_dev reference is kept in a struct or handed on.
static struct foo_map *foo_map_alloc(struct pci_dev *pdev, size_t len)
{
	struct foo_map *pmap = kzalloc(sizeof(*pmap), GFP_KERNEL);

	if (!pmap)
		return NULL;
	/* ok: R13 */
	pmap->kaddr = pci_alloc_p2pmem(pdev, len);
	if (!pmap->kaddr) {
		kfree(pmap);
		return NULL;
	}
	pmap->pdev = pdev;
	pmap->len = len;
	return pmap;
}

static void foo_map_release(struct kref *ref)
{
	struct foo_map *pmap = container_of(ref, struct foo_map, ref);

	/* ok: R13 */
	pci_free_p2pmem(pmap->pdev, pmap->kaddr, pmap->len);
	kfree(pmap);
}

static int foo_ctx_init(struct foo_ctx *ctx, size_t len)
{
	void *buf;

	/* ok: R13 */
	buf = pci_alloc_p2pmem(ctx->pdev, len);
	if (!buf)
		return -ENOMEM;
	ctx->buf = buf;
	if (foo_start(ctx))
		/* ok: R13 - ctx owns buf, foo_ctx_release() frees it */
		return -EIO;
	return 0;
}

static void *foo_alloc_raw(struct pci_dev *pdev, size_t len)
{
	/* ok: R13 - the caller checks */
	return pci_alloc_p2pmem(pdev, len);
}

static int foo_pick_provider(struct foo_req *req, struct device *client)
{
	struct pci_dev *p2p_dev;

	/* ok: R13 */
	req->p2p_dev = pci_p2pmem_find(client);
	/* ok: R13 */
	p2p_dev = pci_p2pmem_find(client);
	if (!p2p_dev)
		return -ENODEV;
	return xa_err(xa_store(&req->ctrl->p2p_devs, req->nsid, p2p_dev, GFP_KERNEL));
}

static struct scatterlist *foo_sgl_from_p2pmem(struct pci_dev *pdev, struct scatterlist *sg, u32 len)
{
	void *addr;

	addr = pci_alloc_p2pmem(pdev, len);
	if (!addr)
		return NULL;
	sg_set_buf(sg, addr, len);
	if (foo_check(sg))
		/* ok: R13 - the list holds addr now; its owner frees it with pci_p2pmem_free_sgl() */
		return ERR_PTR(-EINVAL);
	return sg;
}
