// R2 gives its P2P-unaware note once per new API, at the first call of an inline mapping helper
// (the function that would hold the P2P decision), not inside the helper (spec R2, last bullet).
static inline u64 demo_map_bvec(struct ib_device *dev, struct bio_vec *bvec, enum dma_data_direction dir)
{
	if (demo_virt(dev))
		return (uintptr_t)bvec_virt(bvec);
	/* ok: R2 - its callers decide */
	return dma_map_phys(dev->dma_device, bvec_phys(bvec), bvec->bv_len, dir, 0);
}

static int demo_init_one(struct ib_device *dev, struct bio_vec *bvec, enum dma_data_direction dir)
{
	/* ruleid: R2(info) */
	u64 addr = demo_map_bvec(dev, bvec, dir);

	return addr ? 0 : -EIO;
}

static int demo_init_two(struct ib_device *dev, struct bio_vec *bvec, enum dma_data_direction dir)
{
	/* ok: R2 - once per new API */
	u64 addr = demo_map_bvec(dev, bvec, dir);

	return addr ? 0 : -EIO;
}
