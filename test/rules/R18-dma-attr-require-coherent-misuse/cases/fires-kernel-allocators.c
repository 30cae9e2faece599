// SPDX-License-Identifier: GPL-2.0
/* kernel-version: 7.0 — an in-kernel driver mapping its own buffers */
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <net/page_pool/helpers.h>

struct demo_dev {
	struct device *dev;
	struct page_pool *pool;
};

static int demo_send_cmd(struct demo_dev *ddev, const void *cmd, size_t len)
{
	dma_addr_t addr;
	void *buf;

	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, cmd, len);
	/* ruleid: R18(error) */
	addr = dma_map_single_attrs(ddev->dev, buf, len, DMA_TO_DEVICE,
				    DMA_ATTR_REQUIRE_COHERENT);
	if (dma_mapping_error(ddev->dev, addr)) {
		kfree(buf);
		return -EIO;
	}
	return 0;
}

static dma_addr_t demo_map_ring_page(struct demo_dev *ddev)
{
	unsigned long attrs = DMA_ATTR_SKIP_CPU_SYNC;
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	if (!page)
		return DMA_MAPPING_ERROR;
	attrs |= DMA_ATTR_REQUIRE_COHERENT;
	/* ruleid: R18(error) the attribute reaches the call through a local bitmask */
	return dma_map_page_attrs(ddev->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL, attrs);
}

static int demo_map_table(struct demo_dev *ddev, size_t len)
{
	struct scatterlist sg;
	void *buf = kzalloc(len, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	sg_init_one(&sg, buf, len);
	/* ruleid: R18(error) */
	return dma_map_sg_attrs(ddev->dev, &sg, 1, DMA_FROM_DEVICE, DMA_ATTR_REQUIRE_COHERENT);
}

static dma_addr_t demo_map_rx(struct demo_dev *ddev)
{
	struct page *page = page_pool_dev_alloc_pages(ddev->pool);

	/* ruleid: R18(error) */
	return dma_map_phys(ddev->dev, page_to_phys(page), PAGE_SIZE, DMA_FROM_DEVICE,
			    DMA_ATTR_REQUIRE_COHERENT | DMA_ATTR_SKIP_CPU_SYNC);
}

static dma_addr_t demo_map_skb(struct demo_dev *ddev, struct sk_buff *skb)
{
	/* ruleid: R18(error) */
	return dma_map_single_attrs(ddev->dev, skb->data, skb_headlen(skb), DMA_TO_DEVICE,
				    DMA_ATTR_REQUIRE_COHERENT);
}

static dma_addr_t demo_map_frag(struct demo_dev *ddev, const skb_frag_t *frag)
{
	struct page *page = skb_frag_page(frag);

	/* ruleid: R18(error) */
	return dma_map_page_attrs(ddev->dev, page, skb_frag_off(frag), skb_frag_size(frag),
				  DMA_TO_DEVICE, DMA_ATTR_REQUIRE_COHERENT);
}

static void demo_unmap(struct demo_dev *ddev, dma_addr_t addr, size_t len)
{
	/* ok: R18 (unmap calls never fire) */
	dma_unmap_single_attrs(ddev->dev, addr, len, DMA_TO_DEVICE, DMA_ATTR_REQUIRE_COHERENT);
}

static dma_addr_t demo_map_clear(struct demo_dev *ddev, size_t len)
{
	void *buf = kmalloc(len, GFP_KERNEL);

	/* ok: R18 (the attribute is cleared from the mask) */
	return dma_map_single_attrs(ddev->dev, buf, len, DMA_TO_DEVICE, 0);
}
