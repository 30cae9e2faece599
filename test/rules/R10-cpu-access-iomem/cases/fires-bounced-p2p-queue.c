// R10 fires: a queue that advertises P2PDMA bounces its I/O (a CPU copy of P2P pages).
static int demo_alloc_disk(struct demo_dev *dd)
{
	struct queue_limits lim = {
		.max_hw_sectors = 256,
	};

	lim.features |= BLK_FEAT_PCI_P2PDMA;
	// ruleid: R10
	lim.bounce = BLK_BOUNCE_HIGH;
	dd->disk = blk_mq_alloc_disk(&dd->tag_set, &lim, dd);
	return PTR_ERR_OR_ZERO(dd->disk);
}

static void demo_old_queue(struct request_queue *q, bool highmem)
{
	blk_queue_flag_set(QUEUE_FLAG_PCI_P2PDMA, q);
	if (highmem)
		// ruleid: R10
		blk_queue_bounce_limit(q, BLK_BOUNCE_HIGH);
	/* ok: R10 */
	blk_queue_bounce_limit(q, BLK_BOUNCE_NONE);
}
