// R5 stays quiet before 6.0: dma_map_sgtable() cannot return -EREMOTEIO there (P2P lists went
// through pci_p2pdma_map_sg(), whose failure is a plain 0).
// kernel-version: 5.19
static void foo_set_queue(struct foo_ctrl *ctrl, struct request_queue *q)
{
	if (ctrl->p2p_capable)
		blk_queue_flag_set(QUEUE_FLAG_PCI_P2PDMA, q);
}

static blk_status_t foo_map_data(struct foo_ctrl *ctrl, struct request *req, struct foo_iod *iod)
{
	blk_status_t ret = BLK_STS_RESOURCE;
	int rc;

	iod->sgt.orig_nents = blk_rq_map_sg(req->q, req, iod->sgt.sgl);
	if (!iod->sgt.orig_nents)
		goto out_free_sg;
	// ok: R5
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
	// ok: R5
	if (dma_map_sgtable(ctrl->dev, sgt, DMA_BIDIRECTIONAL, 0))
		return -ENOMEM;
	return 0;
}

static int foo_rw_map(struct ib_device *ibdev, struct sg_table *sgt, enum dma_data_direction dir)
{
	int ret;

	// ok: R5
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
	// ok: R5
	err = dma_map_sgtable(ctrl->dev, sgt, DMA_TO_DEVICE, 0);
	if (err && tries--) {
		msleep(10);
		goto again;
	}
	return err;
}
