// R10 fires: the code itself says the page may be P2P (it tests it), then maps it for the CPU.
static void demo_csum(struct bio_vec *bv, u32 *csum, bool *is_p2p)
{
	void *kaddr;

	if (is_pci_p2pdma_page(bv->bv_page))
		*is_p2p = true;
	// ruleid: R10
	kaddr = bvec_kmap_local(bv);
	*csum = crc32(*csum, kaddr, bv->bv_len);
	kunmap_local(kaddr);
}
