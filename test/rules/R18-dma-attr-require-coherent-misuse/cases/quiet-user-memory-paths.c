// SPDX-License-Identifier: GPL-2.0
/* kernel-version: 7.0 — a uAPI that maps pinned user pages for coherent device access */
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/hmm.h>

struct demo_umem {
	struct device *dev;
	struct sg_table sgt;
	struct page **pages;
	unsigned long npages;
};

static int demo_umem_map(struct demo_umem *umem, unsigned long uaddr)
{
	int ret;

	ret = pin_user_pages_fast(uaddr, umem->npages, FOLL_WRITE | FOLL_LONGTERM, umem->pages);
	if (ret < 0)
		return ret;
	ret = sg_alloc_table_from_pages(&umem->sgt, umem->pages, ret, 0, ret << PAGE_SHIFT, GFP_KERNEL);
	if (ret)
		return ret;
	/* ok: R18 */
	return dma_map_sgtable(umem->dev, &umem->sgt, DMA_BIDIRECTIONAL, DMA_ATTR_REQUIRE_COHERENT);
}

/* A helper of the same uAPI: its buffer is the pinned user memory of the file. */
static dma_addr_t demo_umem_map_page(struct device *dev, struct page *page)
{
	/* ok: R18 */
	return dma_map_page_attrs(dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL, DMA_ATTR_REQUIRE_COHERENT);
}

static int demo_svm_map(struct device *dev, struct hmm_range *range, unsigned long i)
{
	int ret = hmm_range_fault(range);

	if (ret)
		return ret;
	/* ok: R18 */
	return dma_map_page_attrs(dev, hmm_pfn_to_page(range->hmm_pfns[i]), 0, PAGE_SIZE,
				  DMA_BIDIRECTIONAL, DMA_ATTR_REQUIRE_COHERENT) ? 0 : -EIO;
}
