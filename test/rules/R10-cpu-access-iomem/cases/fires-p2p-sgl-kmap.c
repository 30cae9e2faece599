// R10 fires: entries of a pci_p2pmem_alloc_sgl() list turned into CPU pointers.
static int demo_fill_sgl(struct pci_dev *p2p_dev, const void *src, u32 len)
{
	struct scatterlist *sgl, *sg;
	unsigned int nents;
	int i;

	sgl = pci_p2pmem_alloc_sgl(p2p_dev, &nents, len);
	if (!sgl)
		return -ENOMEM;
	// ruleid: R10(error)
	sg_copy_from_buffer(sgl, nents, src, len);
	for_each_sg(sgl, sg, nents, i) {
		// ruleid: R10(error)
		void *p = kmap_local_page(sg_page(sg));

		memset(p, 0, sg->length);
		kunmap_local(p);
	}
	// ruleid: R10(error)
	return crc32c(0, sg_virt(sgl), len);
}
