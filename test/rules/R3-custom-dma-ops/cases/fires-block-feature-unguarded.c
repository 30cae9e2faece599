// R3 fires: the queue advertises P2PDMA without asking the DMA layer.
// kernel-version: 6.12
static int foo_alloc_disk(struct foo_ctrl *ctrl)
{
	struct queue_limits lim = { .logical_block_size = 512 };

	if (ctrl->cmb_size)
		// ruleid: R3
		lim.features |= BLK_FEAT_PCI_P2PDMA;
	ctrl->disk = blk_mq_alloc_disk(&ctrl->tagset, &lim, ctrl);
	return PTR_ERR_OR_ZERO(ctrl->disk);
}

static void foo_old_queue(struct foo_ctrl *ctrl, struct request_queue *q)
{
	// ruleid: R3
	blk_queue_flag_set(QUEUE_FLAG_PCI_P2PDMA,
			   q);
}
