// R2 fires: the P2P buffer is kept in a struct field and mapped in another function.
static int foo_alloc_cmb(struct foo_ctrl *ctrl)
{
	ctrl->cmb_va = pci_alloc_p2pmem(ctrl->pdev, ctrl->cmb_size);
	return ctrl->cmb_va ? 0 : -ENOMEM;
}

static dma_addr_t foo_map_cmb(struct foo_queue *q, size_t off)
{
	// ruleid: R2
	return dma_map_single(q->peer_dev, q->ctrl->cmb_va + off, PAGE_SIZE, DMA_TO_DEVICE);
}

/* ok: R2 - a field of the same name in a file that never stores P2P memory in it is another matter */
static dma_addr_t foo_map_buf(struct foo_queue *q)
{
	return dma_map_single(q->dev, q->buf, PAGE_SIZE, DMA_TO_DEVICE);
}
