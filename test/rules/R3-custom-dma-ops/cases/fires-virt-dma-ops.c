// R3 fires: a dma_map_ops whose driver turns DMA addresses back into CPU pointers and takes user MRs.
static dma_addr_t soft_map_page(struct device *dev, struct page *page, unsigned long offset,
				size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	return (uintptr_t)page_address(page) + offset;
}

// ruleid: R3
static const struct dma_map_ops soft_dma_ops = {
	.map_page	= soft_map_page,
};

static int soft_copy(struct soft_mr *mr, u64 iova, void *dst, size_t len)
{
	struct page *page = ib_virt_dma_to_page(iova);

	memcpy(dst, page_address(page), len);
	return 0;
}

static struct ib_mr *soft_reg_user_mr(struct ib_pd *pd, u64 start, u64 length, int access)
{
	struct ib_umem *umem = ib_umem_get(pd->device, start, length, access);

	return IS_ERR(umem) ? ERR_CAST(umem) : soft_mr_from_umem(umem);
}
