// R1 stays quiet: each arm of entry 0's test sets a local, but the whole-list mapping does not
// read it (a statistics counter); the mapping is the same for every entry.
// kernel-version: 6.12
static int demo_map_counted(struct demo_dev *demo, struct sg_table *sgt, enum dma_data_direction dir)
{
	int kind;
	int ret;

	/* ok: R1 */
	if (is_pci_p2pdma_page(sg_page(sgt->sgl)))
		kind = DEMO_STAT_P2P;
	else
		kind = DEMO_STAT_HOST;

	ret = dma_map_sgtable(demo->dev, sgt, dir, 0);
	if (!ret)
		demo->stats[kind]++;
	return ret;
}
