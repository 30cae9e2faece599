/**
 * The P2PDMA and DMA-API vocabulary of ../shared/docs/p2p-rules.md (sections B1-B5), as data the
 * analysis and the rules share. Names are exact kernel identifiers.
 */

const set = (...names: string[]): ReadonlySet<string> => new Set(names);

/** B1: calls whose result is P2P or BAR memory (a page, a VA, a phys, an SGL). */
export const P2P_SOURCE_CALLS = set(
  'pci_alloc_p2pmem', 'pci_p2pmem_alloc_sgl', 'pci_p2pmem_virt_to_bus',
  'pcim_p2pdma_provider',
  'pci_resource_start', 'pci_bus_address', 'pci_iomap', 'pci_iomap_range', 'pci_iomap_wc', 'pcim_iomap',
  'pcim_iomap_region', 'pcim_iomap_range', 'ioremap', 'ioremap_wc', 'ioremap_uc', 'ioremap_cache', 'devm_ioremap',
  'devm_ioremap_wc', 'devm_ioremap_resource', 'devm_platform_ioremap_resource', 'pci_ioremap_bar', 'pci_ioremap_wc_bar',
);

/** Calls that hand on the P2P-ness of their first argument (page of a VA, VA of a page...). */
export const P2P_CARRYING_CALLS = set(
  'virt_to_page', 'sg_page', 'sg_virt', 'sg_phys', 'page_address', 'page_to_virt', 'page_to_phys', 'page_to_pfn',
  'pfn_to_page', 'phys_to_page', 'virt_to_phys', 'bvec_phys', 'bvec_virt', 'sg_next', 'folio_page', 'page_folio',
  'phys_to_virt', 'PFN_DOWN', 'PHYS_PFN', 'virt_to_pfn', 'sg_dma_page', 'nth_page',
);

/** Fields through which a P2P container hands on P2P memory (`bv.bv_page`, `sgt->sgl`). */
export const P2P_CARRYING_FIELDS = set('bv_page', 'page', 'pages', 'sgl', 'sg', 'paddr', 'bv_offset');

/** GUP/iov_iter flags that let P2P pages in (B1). */
export const P2P_GUP_FLAGS = set('FOLL_PCI_P2PDMA', 'ITER_ALLOW_P2PDMA');

export const GUP_CALLS = set(
  'pin_user_pages', 'pin_user_pages_fast', 'pin_user_pages_remote', 'pin_user_pages_unlocked', 'get_user_pages',
  'get_user_pages_fast', 'get_user_pages_remote', 'get_user_pages_unlocked', 'iov_iter_extract_pages',
  'iov_iter_get_pages', 'iov_iter_get_pages2', 'iov_iter_get_pages_alloc', 'iov_iter_get_pages_alloc2',
);

/** B3: page/VA/phys mapping calls that carry no P2P information; value = index of the memory argument. */
export const SINGLE_MAP_CALLS: ReadonlyMap<string, number> = new Map([
  ['dma_map_page', 1], ['dma_map_page_attrs', 1], ['dma_map_single', 1], ['dma_map_single_attrs', 1],
  ['ib_dma_map_page', 1], ['ib_dma_map_single', 1], ['dma_map_bvec', 1], ['ib_dma_map_bvec', 1],
  ['dma_map_phys', 1], ['dma_iova_link', 2],
]);

/** Single-map calls whose attrs argument (index) may legitimately carry DMA_ATTR_MMIO (6.18+). */
export const ATTRS_ARG: ReadonlyMap<string, number> = new Map([
  ['dma_map_phys', 4], ['dma_iova_link', 6], ['dma_map_page_attrs', 5], ['dma_map_single_attrs', 4],
]);

/** Whole-list mapping calls (B3/B4): they map or unmap every entry of a scatterlist at once. */
export const LIST_MAP_CALLS = set(
  'dma_map_sg', 'dma_map_sg_attrs', 'dma_map_sgtable', 'ib_dma_map_sg', 'ib_dma_map_sg_attrs',
  'ib_dma_map_sgtable_attrs', 'pci_p2pdma_map_sg', 'pci_p2pdma_map_sg_attrs', 'rdma_rw_map_sg',
);
export const LIST_UNMAP_CALLS = set(
  'dma_unmap_sg', 'dma_unmap_sg_attrs', 'dma_unmap_sgtable', 'ib_dma_unmap_sg', 'ib_dma_unmap_sg_attrs',
  'ib_dma_unmap_sgtable_attrs', 'pci_p2pdma_unmap_sg', 'pci_p2pdma_unmap_sg_attrs', 'rdma_rw_unmap_sg',
);

/** Mappers that take P2P lists into account (pre-6.0 helpers and the RDMA rw wrappers of 5.7-5.19). */
export const P2P_AWARE_LIST_MAPPERS = set(
  'pci_p2pdma_map_sg', 'pci_p2pdma_map_sg_attrs', 'pci_p2pdma_unmap_sg', 'pci_p2pdma_unmap_sg_attrs',
  'rdma_rw_map_sg', 'rdma_rw_unmap_sg',
);

/** Plain (P2P-unaware before 6.0) whole-list mapping calls. */
export const PLAIN_LIST_MAP_CALLS = set('dma_map_sg', 'dma_map_sg_attrs', 'ib_dma_map_sg', 'ib_dma_map_sg_attrs');

/** B2: page-level P2P predicates. */
export const P2P_PAGE_TESTS = set('is_pci_p2pdma_page');
export const MAP_TYPE_CALLS = set('pci_p2pdma_state', 'pci_p2pdma_map_type', '__pci_p2pdma_update_state');
export const MAP_TYPE_VALUES = set(
  'PCI_P2PDMA_MAP_UNKNOWN', 'PCI_P2PDMA_MAP_NONE', 'PCI_P2PDMA_MAP_NOT_SUPPORTED', 'PCI_P2PDMA_MAP_BUS_ADDR',
  'PCI_P2PDMA_MAP_THRU_HOST_BRIDGE',
);

/** Predicates that say a DMA device can take P2P (R3's dominating checks). */
export const P2P_CAPABILITY_TESTS = set('dma_pci_p2pdma_supported', 'ib_dma_pci_p2p_dma_supported');
export const QUEUE_P2P_TESTS = set('blk_queue_pci_p2pdma');

/** Iterator macros whose trailing block is a loop body. */
export function isIteratorMacro(name: string): boolean {
  return /(^|_)for_each(_|$)|_foreach(_|$)|^for_each/.test(name);
}

/** Iterators that walk the entries of a scatterlist or the segments of a bio/request. */
export function isEntryIterator(name: string): boolean {
  return /^(for_each_sg|for_each_sgtable_sg|for_each_sgtable_dma_sg|for_each_sg_page|for_each_sgtable_page|for_each_sg_dma_page|bio_for_each_segment|bio_for_each_bvec|rq_for_each_segment|rq_for_each_bvec|__bio_for_each_segment|__bio_for_each_bvec|bio_for_each_segment_all|bio_for_each_bvec_all|bip_for_each_vec)$/.test(name);
}
