// R13 stays quiet on correct pairings: NULL check, free on every error path, the P2P free for
// P2P lists and the plain free only in the other arm, a checked bus address, a dropped reference.
static int foo_setup(struct foo_dev *fdev, size_t size)
{
	void *ring;
	pci_bus_addr_t bus;
	int ret;

	/* ok: R13 */
	ring = pci_alloc_p2pmem(fdev->pdev, size);
	if (!ring)
		return -ENOMEM;
	pr_debug("ring at %p\n", ring);

	/* ok: R13 */
	bus = pci_p2pmem_virt_to_bus(fdev->pdev, ring);
	if (!bus) {
		ret = -EINVAL;
		goto err_free;
	}
	writeq(bus, fdev->regs + FOO_RING_BASE);

	ret = foo_program_ring(fdev, ring, size);
	if (ret) {
		/* ok: R13 */
		pci_free_p2pmem(fdev->pdev, ring, size);
		return ret;
	}
	fdev->ring = ring;
	return 0;

err_free:
	pci_free_p2pmem(fdev->pdev, ring, size);
	return ret;
}

static void foo_free_sgl(struct foo_req *req)
{
	if (req->p2p_dev)
		/* ok: R13 */
		pci_p2pmem_free_sgl(req->p2p_dev, req->sg);
	else
		/* ok: R13 - not a P2P list in this arm */
		sgl_free(req->sg);
}

static int foo_alloc_sgl(struct foo_req *req)
{
	if (req->p2p_dev)
		req->sg = pci_p2pmem_alloc_sgl(req->p2p_dev, &req->sg_cnt, req->len);
	else
		req->sg = sgl_alloc(req->len, GFP_KERNEL, &req->sg_cnt);
	return req->sg ? 0 : -ENOMEM;
}

static void foo_release_sgl(struct foo_req *req)
{
	/* ok: R13 - req->sg also holds sgl_alloc() lists */
	sgl_free(req->sg);
}

static int foo_find_and_drop(struct device *client)
{
	/* ok: R13 */
	struct pci_dev *p2p_dev = pci_p2pmem_find(client);

	if (!p2p_dev)
		return -ENODEV;
	pci_info(p2p_dev, "found\n");
	pci_dev_put(p2p_dev);
	return 0;
}

static int foo_log_only(struct pci_dev *pdev, void **out, size_t size)
{
	/* ok: R13 - printing the pointer does not use the memory */
	*out = pci_alloc_p2pmem(pdev, size);
	pr_info("p2pmem at %p\n", *out);
	return 0;
}
