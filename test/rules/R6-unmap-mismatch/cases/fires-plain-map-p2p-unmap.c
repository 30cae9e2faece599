// R6 fires the other way round (5.4-5.19): a list mapped with the plain DMA API is unmapped with
// pci_p2pdma_unmap_sg_attrs(), and a list given to the P2P mapper is unmapped with dma_unmap_sg().
// A flag recorded at map time that selects the matching unmap keeps it quiet.
// kernel-version: 5.10
static int example_map_data(struct example_dev *dev, struct example_iod *iod, int dir)
{
	int nr;

	nr = dma_map_sg_attrs(dev->dev, iod->sg, iod->nents, dir, DMA_ATTR_NO_WARN);
	if (!nr)
		return -ENOMEM;
	if (example_setup(dev, iod) < 0)
		goto out_unmap;
	return 0;
out_unmap:
	/* ruleid: R6 */
	pci_p2pdma_unmap_sg_attrs(dev->dev, iod->sg, iod->nents, dir,
				  DMA_ATTR_NO_WARN);
	return -EIO;
}

static int example_map_p2p(struct example_dev *dev, struct scatterlist *sgl, int nents, int dir)
{
	struct scatterlist *list = sgl;
	int nr = pci_p2pdma_map_sg(dev->dev, list, nents, dir);

	if (!nr)
		return -EREMOTEIO;
	if (example_submit(dev, list, nr))
		/* ruleid: R6 */
		dma_unmap_sg(dev->dev, list, nents, dir);
	return nr;
}

static int example_map_flagged(struct example_dev *dev, struct example_req *req, int dir)
{
	if (req->p2p)
		req->nr = pci_p2pdma_map_sg(dev->dev, req->sgl, req->nents, dir);
	else
		req->nr = dma_map_sg(dev->dev, req->sgl, req->nents, dir);
	if (req->nr && example_submit(dev, req->sgl, req->nr)) {
		if (req->p2p)
			/* ok: R6 */
			pci_p2pdma_unmap_sg(dev->dev, req->sgl, req->nents, dir);
		else
			/* ok: R6 */
			dma_unmap_sg(dev->dev, req->sgl, req->nents, dir);
	}
	return req->nr;
}
