/** A C file whose only finding is an R2 error: P2P memory (NULL-checked) handed to dma_map_single(). */
export const R2_ERROR_C = [
  '#include <linux/pci-p2pdma.h>',
  '',
  'static dma_addr_t map_buf(struct pci_dev *pdev, struct device *dev, size_t len)',
  '{',
  '\tvoid *buf = pci_alloc_p2pmem(pdev, len);',
  '\tif (!buf) return DMA_MAPPING_ERROR;',
  '\treturn dma_map_single(dev, buf, len, DMA_TO_DEVICE);',
  '}',
  '',
].join('\n');
