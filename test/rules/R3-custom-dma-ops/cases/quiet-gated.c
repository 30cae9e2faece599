// R3 stays quiet: every advertisement is dominated by the DMA layer's answer.
// kernel-version: 6.12
static bool nvme_rdma_supports_pci_p2pdma(struct nvme_ctrl *ctrl)
{
	/* ok: R3 */
	return ib_dma_pci_p2p_dma_supported(to_rdma_ctrl(ctrl)->device->dev);
}

static const struct nvme_ctrl_ops nvme_rdma_ctrl_ops = {
	.supports_pci_p2pdma	= nvme_rdma_supports_pci_p2pdma,
};

static void nvme_like_setup(struct nvme_dev *dev, struct queue_limits *lim)
{
	bool p2p = dma_pci_p2pdma_supported(dev->dev);

	if (dma_pci_p2pdma_supported(dev->dev))
		/* ok: R3 */
		lim->features |= BLK_FEAT_PCI_P2PDMA;
	if (p2p && dev->cmb_size)
		/* ok: R3 */
		lim->features |= BLK_FEAT_PCI_P2PDMA;
	if (!dma_pci_p2pdma_supported(dev->dev))
		return;
	/* ok: R3 */
	lim->features |= BLK_FEAT_PCI_P2PDMA;
}

static int nvmet_like_alloc_rsp(struct nvmet_rdma_device *ndev, struct nvmet_rdma_rsp *r)
{
	if (ib_dma_pci_p2p_dma_supported(ndev->device))
		/* ok: R3 */
		r->req.p2p_client = &ndev->device->dev;
	/* ok: R3 - taking P2P away is always fine */
	lim.features &= ~BLK_FEAT_PCI_P2PDMA;
	return 0;
}

/* ok: R3 - an ops table that does not touch P2P and claims nothing */
static const struct dma_map_ops plain_ops = {
	.map_page	= plain_map_page,
	.map_sg		= plain_map_sg,
};

static void nvme_core_like_set_limits(struct nvme_ctrl *ctrl, struct queue_limits *lim)
{
	/* the driver callback is judged where it is defined */
	if (ctrl->ops->supports_pci_p2pdma &&
	    ctrl->ops->supports_pci_p2pdma(ctrl))
		/* ok: R3 */
		lim->features |= BLK_FEAT_PCI_P2PDMA;
}

static void nvmet_like_setup_p2p(struct nvmet_ctrl *ctrl, struct nvmet_req *req)
{
	/* ok: R3 - copying an existing client is not advertising one */
	ctrl->p2p_client = get_device(req->p2p_client);
}
