// R1 fires: an early return, and a negated test, both let entry 0 decide (no version evidence:
// the newest kernel is assumed).
static int bar_map(struct device *dev, struct scatterlist *sgl, int nents,
		   enum dma_data_direction dir)
{
	// ruleid: R1
	if (is_pci_p2pdma_page(sg_page(sgl)))
		return pci_p2pdma_map_sg(dev, sgl, nents, dir);
	return dma_map_sg(dev, sgl, nents, dir);
}

static void bar_unmap(struct bar_req *req)
{
	// ruleid: R1
	if (!is_pci_p2pdma_page(sg_page(req->sg)))
		dma_unmap_sg(req->dev, req->sg, req->nents, req->dir);
	else
		pci_p2pdma_unmap_sg(req->dev, req->sg, req->nents, req->dir);
}
