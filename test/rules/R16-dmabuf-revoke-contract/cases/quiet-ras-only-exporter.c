// R16 stays quiet: an exporter that revokes only on RAS errors follows B8 and does not call
// dma_buf_attach_revocable() (the cover letter tells it not to).
// kernel-version: 7.1
static int ras_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct ras_buf *rb = dmabuf->priv;

	if (!attach->peer2peer)
		return -EOPNOTSUPP;
	if (rb->revoked)
		return -ENODEV;
	return 0;
}

static struct sg_table *ras_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct ras_buf *rb = attach->dmabuf->priv;

	return dma_buf_phys_vec_to_sgt(attach, rb->provider, &rb->vec, 1, rb->vec.len, dir);
}

/* ok: R16 */
static const struct dma_buf_ops ras_ops = {
	.attach = ras_attach,
	.map_dma_buf = ras_map,
};

static pci_ers_result_t ras_error_detected(struct pci_dev *pdev, pci_channel_state_t state)
{
	struct ras_buf *rb = pci_get_drvdata(pdev);

	dma_resv_lock(rb->dmabuf->resv, NULL);
	rb->revoked = true;
	/* ok: R16 */
	dma_buf_invalidate_mappings(rb->dmabuf);
	dma_resv_wait_timeout(rb->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(rb->dmabuf->resv);
	wait_for_completion(&rb->unmapped);
	return PCI_ERS_RESULT_NEED_RESET;
}
