// R5 fires: -EREMOTEIO from dma_map_sgtable() becomes a retry or a requeue (6.0 is the first
// kernel whose dma_map_sgtable() returns it).
// kernel-version: 6.0
static void foo_set_limits(struct foo_ctrl *ctrl, struct queue_limits *lim)
{
	if (dma_pci_p2pdma_supported(ctrl->dev))
		lim->features |= BLK_FEAT_PCI_P2PDMA;
}

static blk_status_t foo_map_data(struct foo_ctrl *ctrl, struct request *req, struct foo_iod *iod)
{
	blk_status_t ret = BLK_STS_RESOURCE;
	int rc;

	iod->sgt.orig_nents = blk_rq_map_sg(req->q, req, iod->sgt.sgl);
	if (!iod->sgt.orig_nents)
		goto out_free_sg;
	// ruleid: R5(warning)
	rc = dma_map_sgtable(ctrl->dev, &iod->sgt, rq_dma_dir(req),
			     DMA_ATTR_NO_WARN);
	if (rc)
		goto out_free_sg;
	return BLK_STS_OK;
out_free_sg:
	mempool_free(iod->sgt.sgl, ctrl->iod_mempool);
	return ret;
}

static int foo_map_buf(struct foo_ctrl *ctrl, struct sg_table *sgt)
{
	// ruleid: R5(warning)
	if (dma_map_sgtable(ctrl->dev, sgt, DMA_BIDIRECTIONAL, 0))
		return -ENOMEM;
	return 0;
}

static int foo_rw_map(struct ib_device *ibdev, struct sg_table *sgt, enum dma_data_direction dir)
{
	int ret;

	// ruleid: R5(warning)
	ret = ib_dma_map_sgtable_attrs(ibdev, sgt, dir, 0);
	if (unlikely(ret < 0)) {
		ret = -EAGAIN;
		goto out;
	}
	return 0;
out:
	return ret;
}

static int foo_retry_map(struct foo_ctrl *ctrl, struct sg_table *sgt)
{
	int tries = 3, err;

again:
	// ruleid: R5(warning)
	err = dma_map_sgtable(ctrl->dev, sgt, DMA_TO_DEVICE, 0);
	if (err && tries--) {
		msleep(10);
		goto again;
	}
	return err;
}
