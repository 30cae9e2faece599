// SPDX-License-Identifier: GPL-2.0
/* kernel-version: 7.0 — the buffer arrives from outside; the file takes no user memory */
#include <linux/dma-mapping.h>

struct demo_ring {
	struct device *dev;
	void *desc;
	size_t size;
	dma_addr_t dma;
};

static int demo_ring_map(struct demo_ring *ring)
{
	/* ruleid: R18(warning) */
	ring->dma = dma_map_single_attrs(ring->dev, ring->desc, ring->size, DMA_BIDIRECTIONAL,
					 DMA_ATTR_REQUIRE_COHERENT);
	return dma_mapping_error(ring->dev, ring->dma) ? -EIO : 0;
}

static dma_addr_t demo_map_buf(struct device *dev, void *buf, size_t len)
{
	/* ruleid: R18(warning) */
	return dma_map_single_attrs(dev, buf, len, DMA_TO_DEVICE, DMA_ATTR_REQUIRE_COHERENT);
}
