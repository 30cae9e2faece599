// R1 fires: the first entry of a 6.0+ sg_table decides between two whole-list mappings.
// kernel-version: 6.8
#include <linux/pci-p2pdma.h>

static int foo_map_table(struct foo_dev *fdev, struct sg_table *sgt, enum dma_data_direction dir)
{
	int nents;

	// ruleid: R1(warning)
	if (is_pci_p2pdma_page(sg_page(sgt->sgl)))
		nents = pci_p2pdma_map_sg_attrs(fdev->dma_dev, sgt->sgl,
						sgt->orig_nents, dir,
						DMA_ATTR_NO_WARN);
	else
		nents = dma_map_sg_attrs(fdev->dma_dev, sgt->sgl, sgt->orig_nents,
					 dir, DMA_ATTR_NO_WARN);
	if (!nents)
		return -EIO;
	sgt->nents = nents;
	return 0;
}
