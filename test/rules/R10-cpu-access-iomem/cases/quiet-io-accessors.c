// R10 stays quiet: MMIO accessors on p2pmem (nvme CMB SQ uses memcpy_toio), and the provider's own registers.
struct demo_queue {
	struct pci_dev *pdev;
	void __iomem *sq_cmds;
	void __iomem *regs;
};

static int demo_alloc_sq(struct demo_queue *nvmeq, size_t size)
{
	nvmeq->sq_cmds = pci_alloc_p2pmem(nvmeq->pdev, size);
	return nvmeq->sq_cmds ? 0 : -ENOMEM;
}

static void demo_copy_cmd(struct demo_queue *nvmeq, const void *cmd, u16 tail)
{
	/* ok: R10 */
	memcpy_toio(nvmeq->sq_cmds + (tail << 6), cmd, 64);
	/* ok: R10 */
	writel(tail, nvmeq->regs + 0x1000);
}

static int demo_map_regs(struct demo_queue *q, void *snapshot)
{
	q->regs = pci_iomap(q->pdev, 0, 0);
	if (!q->regs)
		return -ENOMEM;
	/* ok: R10 */
	memcpy_fromio(snapshot, q->regs, 0x40);
	/* ok: R10 */
	__iowrite32_copy(q->regs + 0x100, snapshot, 16);
	return 0;
}
