// R1 stays quiet: the first-entry test only rejects P2P, or only skips a fast path.
static int reject_map(struct device *dev, struct scatterlist *sgl, int nents)
{
	/* ok: R1 */
	if (is_pci_p2pdma_page(sg_page(sgl)))
		return -EOPNOTSUPP;
	return dma_map_sg(dev, sgl, nents, DMA_TO_DEVICE);
}

static blk_status_t nvme_like_map_data(struct nvme_dev *dev, struct request *req,
				       struct nvme_command *cmnd)
{
	struct nvme_iod *iod = blk_mq_rq_to_pdu(req);

	if (blk_rq_nr_phys_segments(req) == 1) {
		struct bio_vec bv = req_bvec(req);

		/* ok: R1 */
		if (!is_pci_p2pdma_page(bv.bv_page)) {
			if (bv.bv_offset + bv.bv_len <= NVME_CTRL_PAGE_SIZE * 2)
				return nvme_setup_prp_simple(dev, req, &cmnd->rw, &bv);
		}
	}
	iod->nents = blk_rq_map_sg(req->q, req, iod->sg);
	return dma_map_sgtable(dev->dev, &iod->sgt, rq_dma_dir(req), 0) ? BLK_STS_RESOURCE : BLK_STS_OK;
}
