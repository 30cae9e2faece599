// R1 fires however entry 0's P2P state reaches the decision: stored in a local and tested later,
// stored in a struct flag and tested in another function, a ternary choosing the mapper or the
// attrs of one whole-list call, a driver helper in the P2P arm, bio_first_page_all(), a local
// copy of req_bvec() (before 6.17, when a bio may still mix P2P and host pages).
// kernel-version: 6.12
static int demo_map_stored(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir)
{
	// ruleid: R1
	bool p2p = is_pci_p2pdma_page(sg_page(sgt->sgl));
	int ret;

	ret = demo_prepare(dev);
	if (ret)
		return ret;
	if (p2p)
		return demo_map_bus_addrs(dev, sgt);
	return dma_map_sgtable(dev, sgt, dir, 0);
}

static void demo_submit_prep(struct demo_req *req)
{
	// ruleid: R1
	req->is_p2p = is_pci_p2pdma_page(sg_page(req->sgl));
}

static int demo_submit(struct demo_dev *dev, struct demo_req *rq)
{
	if (rq->is_p2p)
		return demo_submit_p2p(dev, rq->sgl, rq->nents);
	return dma_map_sg(dev->dev, rq->sgl, rq->nents, DMA_TO_DEVICE);
}

static int demo_map_ternary(struct device *dev, struct scatterlist *sgl, int nents)
{
	// ruleid: R1
	return is_pci_p2pdma_page(sg_page(sgl)) ? demo_p2p_map_sg(dev, sgl, nents) :
		dma_map_sg(dev, sgl, nents, DMA_TO_DEVICE);
}

static int demo_map_attrs(struct device *dev, struct sg_table *sgt)
{
	// ruleid: R1
	unsigned long attrs = is_pci_p2pdma_page(sg_page(sgt->sgl)) ? DMA_ATTR_SKIP_CPU_SYNC : 0;

	return dma_map_sgtable(dev, sgt, DMA_TO_DEVICE, attrs);
}

static blk_status_t demo_map_bio(struct demo_dev *dev, struct bio *bio)
{
	// ruleid: R1
	if (is_pci_p2pdma_page(bio_first_page_all(bio)))
		return demo_map_bio_p2p(dev, bio);
	return demo_map_bio_host(dev, bio);
}

static blk_status_t demo_map_rq(struct demo_dev *dev, struct request *req)
{
	struct bio_vec bv = req_bvec(req);

	// ruleid: R1
	if (!is_pci_p2pdma_page(bv.bv_page))
		return demo_map_rq_host(dev, req);
	return demo_map_rq_p2p(dev, req);
}
