// R5 stays quiet: the failure keeps -EREMOTEIO apart (BLK_STS_TARGET) or hands the errno on.
// kernel-version: 6.2
static void foo_set_limits(struct foo_ctrl *ctrl, struct queue_limits *lim)
{
	if (dma_pci_p2pdma_supported(ctrl->dev))
		lim->features |= BLK_FEAT_PCI_P2PDMA;
}

static blk_status_t foo_map_data(struct foo_ctrl *ctrl, struct request *req, struct foo_iod *iod)
{
	blk_status_t ret = BLK_STS_RESOURCE;
	int rc;

	// ok: R5
	rc = dma_map_sgtable(ctrl->dev, &iod->sgt, rq_dma_dir(req), DMA_ATTR_NO_WARN);
	if (rc) {
		if (rc == -EREMOTEIO)
			ret = BLK_STS_TARGET;
		goto out_free_sg;
	}
	return BLK_STS_OK;
out_free_sg:
	mempool_free(iod->sgt.sgl, ctrl->iod_mempool);
	return ret;
}

static blk_status_t foo_map_meta(struct foo_ctrl *ctrl, struct request *req, struct foo_iod *iod)
{
	// ok: R5
	int rc = dma_map_sgtable(ctrl->dev, &iod->meta_sgt, rq_dma_dir(req), 0);

	if (rc)
		return errno_to_blk_status(rc);
	return BLK_STS_OK;
}

static int foo_map_buf(struct foo_ctrl *ctrl, struct sg_table *sgt)
{
	int ret;

	// ok: R5
	ret = dma_map_sgtable(ctrl->dev, sgt, DMA_BIDIRECTIONAL, 0);
	if (ret) {
		dev_err(ctrl->dev, "map failed: %d\n", ret);
		return ret;
	}
	return 0;
}

static int foo_rw_map(struct ib_device *ibdev, struct sg_table *sgt, enum dma_data_direction dir)
{
	// ok: R5
	return ib_dma_map_sgtable_attrs(ibdev, sgt, dir, 0);
}

static int foo_map_split(struct foo_ctrl *ctrl, struct sg_table *sgt)
{
	// ok: R5
	int err = dma_map_sgtable(ctrl->dev, sgt, DMA_TO_DEVICE, 0);

	if (err == -EREMOTEIO)
		return -EREMOTEIO;
	if (err)
		return -ENOMEM;
	return 0;
}
