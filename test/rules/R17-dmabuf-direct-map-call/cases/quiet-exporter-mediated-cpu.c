// R17 stays quiet: CPU access through dma_buf_vmap()/dma_buf_begin_cpu_access(), the
// exporter-mediated path.
static int qux_read_header(struct dma_buf *dmabuf, void *out, size_t len)
{
	struct iosys_map map;
	int ret;

	/* ok: R17 */
	ret = dma_buf_begin_cpu_access(dmabuf, DMA_FROM_DEVICE);
	if (ret)
		return ret;
	ret = dma_buf_vmap_unlocked(dmabuf, &map);
	if (!ret) {
		iosys_map_memcpy_from(out, &map, 0, len);
		dma_buf_vunmap_unlocked(dmabuf, &map);
	}
	dma_buf_end_cpu_access(dmabuf, DMA_FROM_DEVICE);
	return ret;
}
