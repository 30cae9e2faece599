// R10 stays quiet: an exporter that leaves the CPU list empty on purpose, and an importer that
// does not accept peer memory.
static void demo_fill_sg_entry(struct scatterlist *sgl, unsigned int length, dma_addr_t addr)
{
	/* ok: R10 */
	sg_set_page(sgl, NULL, length, 0);
	sg_dma_address(sgl) = addr;
	sg_dma_len(sgl) = length;
}

static int demo_plain_import(struct dma_buf_attachment *attach, struct page **pages)
{
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(attach, DMA_TO_DEVICE);

	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	/* ok: R10 */
	pages[0] = sg_page(sgt->sgl);
	return 0;
}
