// R3 stays quiet: a stacking driver takes the P2P feature over from a bottom queue that itself
// advertises it (a queue capability that was itself gated, spec R3), not for its own DMA device.
// kernel-version: 6.12
static void demo_stack_limits(struct queue_limits *t, const struct queue_limits *b)
{
	/* ok: R3 */
	if (b->features & BLK_FEAT_PCI_P2PDMA)
		t->features |= BLK_FEAT_PCI_P2PDMA;
}

static void demo_own_limits(struct demo_dev *demo, struct queue_limits *lim)
{
	// ruleid: R3
	lim->features |= BLK_FEAT_PCI_P2PDMA;
}
