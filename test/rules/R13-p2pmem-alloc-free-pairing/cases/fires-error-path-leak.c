// R13 fires: an error return or goto after pci_alloc_p2pmem() leaves without pci_free_p2pmem().
static int foo_setup_queue(struct foo_dev *fdev, size_t size)
{
	void *ring;
	int ret;

	ring = pci_alloc_p2pmem(fdev->pdev, size);
	if (!ring)
		return -ENOMEM;

	memset_io(ring, 0, size);
	ret = foo_program_doorbell(fdev);
	if (ret)
		// ruleid: R13(warning)
		return ret;

	if (!foo_ring_ready(fdev)) {
		dev_err(&fdev->pdev->dev, "ring not ready\n");
		// ruleid: R13
		goto err_disable;
	}

	fdev->ring_ready = true;
	pci_free_p2pmem(fdev->pdev, ring, size);
	return 0;

err_disable:
	foo_disable(fdev);
	return -EIO;
}
