/**
 * The identifiers each rule needs, apart from the rules themselves, so that the pre-filter can
 * decide on the raw text of a patch (or a C file) before the parser, the rules or the mail
 * library are loaded: a patch that names none of them costs no more than reading it.
 *
 * `triggers`: at least one must occur (the rule's meta.triggers, checked equal by a test).
 * `requires`: spatch-style token groups; each group needs one of its identifiers, all groups must
 * hold (AND of OR-groups), as each rule's check cannot report without them. Filled by hand for
 * the rules whose reports all hang on a call of a known set; the catalogue will derive them.
 */

import { migrationTriggers, namesWith, triggersOf } from '../analysis/catalogue.js';

export interface RuleTokens {
  slug: string;
  checksCoreFiles?: boolean;
  triggers: readonly string[];
  requires?: readonly (readonly string[])[];
  /** Paths where `requires` does not apply (a rule arm that fires there on other identifiers). */
  requiresExempt?: RegExp;
}

export const RULE_TOKENS: Readonly<Record<string, RuleTokens>> = {
  R1: { slug: 'p2p-sgl-first-entry-homogeneity', triggers: ['is_pci_p2pdma_page', 'pci_p2pdma_state', 'pci_p2pdma_map_type', 'pci_p2pmem_alloc_sgl'] },
  R2: { slug: 'p2p-single-map-api-on-p2p', triggers: triggersOf('R2', ['source', 'page-predicate', 'gup-flag', 'advertisement']),
    // every arm reports a page/VA/phys mapping call, or a plain list mapping call (pre-6.0): from the catalogue
    requires: [[...namesWith('single-map-sink'), ...namesWith('list-map', (r) => !!r.plain)]],
  },
  R3: { slug: 'p2p-custom-dma-ops', triggers: ['BLK_FEAT_PCI_P2PDMA', 'QUEUE_FLAG_PCI_P2PDMA', 'supports_pci_p2pdma', 'p2p_client', 'DMA_F_PCI_P2PDMA_SUPPORTED', 'ib_virt_dma_to_page', 'ib_virt_dma_to_ptr', 'get_dma_ops', 'dma_ops'] },
  R4: { slug: 'p2p-topology-unchecked', triggers: ['pci_alloc_p2pmem', 'pci_p2pmem_alloc_sgl', 'pcim_p2pdma_provider', 'pci_resource_start', 'pci_bus_address', 'pci_p2pdma_distance', 'pci_p2pdma_distance_many', 'pci_p2pdma_bus_addr_map', 'pci_p2pmem_virt_to_bus', 'map_dma_buf'],
    // a hand-off (bus address map, single, resource or list mapping), a distance call, or a dma-buf exporter
    requires: [['pci_p2pdma_bus_addr_map', 'dma_map_page', 'dma_map_page_attrs', 'dma_map_single', 'dma_map_single_attrs', 'ib_dma_map_page', 'ib_dma_map_single', 'dma_map_bvec', 'ib_dma_map_bvec', 'dma_map_phys', 'dma_iova_link', 'dma_map_resource',
      'dma_map_sg', 'dma_map_sg_attrs', 'dma_map_sgtable', 'ib_dma_map_sg', 'ib_dma_map_sg_attrs', 'ib_dma_map_sgtable_attrs',
      'pci_p2pdma_map_sg', 'pci_p2pdma_map_sg_attrs', 'rdma_rw_map_sg', 'pci_p2pdma_distance', 'pci_p2pdma_distance_many', 'map_dma_buf']],
  },
  R5: { slug: 'p2p-map-type-incomplete', triggers: ['pci_p2pdma_state', 'pci_p2pdma_map_type', 'pci_p2pdma_map_segment', 'PCI_P2PDMA_MAP_NONE', 'PCI_P2PDMA_MAP_NOT_SUPPORTED', 'PCI_P2PDMA_MAP_BUS_ADDR', 'PCI_P2PDMA_MAP_THRU_HOST_BRIDGE', 'dma_map_sgtable', 'ib_dma_map_sgtable_attrs'] },
  R6: { slug: 'p2p-unmap-mismatch', checksCoreFiles: true, triggers: ['pci_p2pdma_map_sg', 'pci_p2pdma_map_sg_attrs', 'pci_p2pdma_unmap_sg', 'pci_p2pdma_unmap_sg_attrs', 'rdma_rw_map_sg', 'DMA_ATTR_MMIO', 'pci_p2pdma_bus_addr_map', 'PCI_P2PDMA_MAP_BUS_ADDR', 'sg_dma_is_bus_address', 'sg_is_dma_bus_address', 'sg_dma_mark_bus_address', 'blk_rq_dma_unmap', 'blk_rq_integrity_dma_unmap', 'pci_p2pmem_alloc_sgl', 'is_pci_p2pdma_page', 'FOLL_PCI_P2PDMA', 'ITER_ALLOW_P2PDMA'] },
  R7: { slug: 'p2p-mmio-without-attr-mmio', checksCoreFiles: true, triggers: ['dma_map_phys', 'dma_iova_link', 'dma_unmap_phys', 'dma_iova_destroy', 'dma_iova_unlink', 'DMA_ATTR_MMIO', 'DMA_ATTR_SKIP_CPU_SYNC', 'PCI_P2PDMA_MAP_THRU_HOST_BRIDGE'] },
  R8: { slug: 'p2p-dma-map-resource-peer-bar', triggers: ['dma_map_resource'] },
  R9: { slug: 'p2p-open-coded-bus-address', triggers: ['sg_dma_address', 'dma_address', 'pci_bus_address', 'pcibios_resource_to_bus', 'sg_dma_mark_bus_address', 'bus_offset', 'bus_off'] },
  R10: { slug: 'p2p-cpu-access-iomem', triggers: ['pci_alloc_p2pmem', 'pci_p2pmem_alloc_sgl', 'is_pci_p2pdma_page', 'FOLL_PCI_P2PDMA', 'ITER_ALLOW_P2PDMA', 'pci_p2pdma_map_sg', 'pci_p2pdma_map_sg_attrs', 'rdma_rw_map_sg', 'pci_resource_start', 'pci_bus_address', 'ioremap', 'ioremap_wc', 'devm_ioremap', 'pci_iomap', 'pcim_iomap', 'pci_ioremap_bar', 'dma_buf_map_attachment', 'dma_buf_map_attachment_unlocked', 'BLK_FEAT_PCI_P2PDMA', 'QUEUE_FLAG_PCI_P2PDMA', 'ib_umem_dmabuf_get', 'ib_umem_dmabuf_get_pinned', 'ib_umem_dmabuf_get_pinned_with_dma_device', 'reg_user_mr_dmabuf', 'dma_buf_attach', 'dma_buf_dynamic_attach'],
    // a page-level CPU access (any P2P or BAR taint), a byte copy of pci_alloc_p2pmem() memory (the only taint byte
    // copies count), or what the dma-buf, bounce and virt-DMA arms report on: the CNF of those arms, one group
    requires: [['kmap', 'kmap_atomic', 'kmap_local_page', 'kmap_local_folio', 'page_address', 'folio_address', 'sg_virt', 'bvec_virt',
      'bvec_kmap_local', 'sg_copy_to_buffer', 'sg_copy_from_buffer', 'sg_pcopy_to_buffer', 'sg_pcopy_from_buffer', 'sg_zero_buffer',
      'sg_miter_start', 'memcpy_to_page', 'memcpy_from_page', 'memcpy_page', 'zero_user', 'zero_user_segments', 'copy_page_to_iter',
      'copy_page_from_iter', 'pci_alloc_p2pmem', 'peer2peer', 'allow_peer2peer', 'BLK_FEAT_PCI_P2PDMA', 'QUEUE_FLAG_PCI_P2PDMA',
      'reg_user_mr_dmabuf', 'ib_umem_dmabuf_get', 'ib_umem_dmabuf_get_pinned', 'ib_umem_dmabuf_get_pinned_with_dma_device', 'dma_buf_attach',
      'dma_buf_dynamic_attach', 'dma_buf_map_attachment', 'dma_buf_map_attachment_unlocked', 'FOLL_PCI_P2PDMA', 'ITER_ALLOW_P2PDMA']],
  },
  R11: { slug: 'p2p-gup-flag-gating', checksCoreFiles: true, triggers: ['FOLL_PCI_P2PDMA', 'ITER_ALLOW_P2PDMA'] },
  R12: { slug: 'p2p-bio-mixed-merge', checksCoreFiles: true /* core2: trap 1, bio construction in core files */, triggers: ['bv_len', 'biovec_phys_mergeable', 'REQ_NOMERGE', 'REQ_NOMERGE_FLAGS', /* issue 14 R12 (api2) */ ...['bi_io_vec', ...namesWith('bio-add')].sort()] },
  R13: { slug: 'p2pmem-alloc-free-pairing', checksCoreFiles: true, triggers: ['pci_alloc_p2pmem', 'pci_free_p2pmem', 'pci_p2pmem_alloc_sgl', 'pci_p2pmem_find', 'pci_p2pmem_find_many', 'pci_p2pmem_virt_to_bus', 'devm_kfree'],
    // every arm starts from an allocation, a find or a bus address; devm_kfree() alone counts only in the p2pdma core
    requires: [['pci_alloc_p2pmem', 'pci_p2pmem_alloc_sgl', 'pci_p2pmem_find', 'pci_p2pmem_find_many', 'pci_p2pmem_virt_to_bus']],
    requiresExempt: /(^|\/)drivers\/pci\/p2pdma\.c$/,
  },
  R14: { slug: 'p2p-bar-userspace-mmap', checksCoreFiles: true, triggers: ['vm_insert_page', 'vm_insert_pages', 'vm_insert_pfn', 'vmf_insert_pfn', 'vmf_insert_pfn_prot', 'vmf_insert_mixed', 'vmf_insert_mixed_mkwrite', 'remap_pfn_range', 'io_remap_pfn_range', 'vm_iomap_memory', 'vmf_insert_pfn_pmd', 'vmf_insert_pfn_pud', 'pci_mmap_p2pmem', 'p2pmem_alloc_mmap'],
    // a VMA insert (hand-rolled maps, unbalanced references) or the helper itself
    requires: [['vm_insert_page', 'vm_insert_pages', 'vm_insert_pfn', 'vmf_insert_pfn', 'vmf_insert_pfn_prot', 'vmf_insert_mixed',
      'vmf_insert_mixed_mkwrite', 'remap_pfn_range', 'io_remap_pfn_range', 'vm_iomap_memory', 'vmf_insert_pfn_pmd', 'vmf_insert_pfn_pud',
      'pci_mmap_p2pmem']],
  },
  R15: { slug: 'p2p-zone-device-type-confusion', triggers: ['is_zone_device_page', 'folio_is_zone_device', 'is_zone_device_folio', 'is_device_private_page', 'folio_is_device_private', 'page_pgmap', 'pgmap', 'hmm_pfn_to_page'] },
  // R16/R17 dma-buf: from the catalogue's dma-buf parts
  R16: { slug: 'p2p-dmabuf-revoke-contract', checksCoreFiles: true,
    triggers: ['map_dma_buf', ...namesWith('dmabuf', (r) => ['notify', 'pin', 'pin-revocable-locked', 'set-revoke'].includes(r.part)),
      ...namesWith('dmabuf', (r) => r.part === 'importer-invalidate')].sort() },
  R17: { slug: 'p2p-dmabuf-direct-map-call', triggers: [...namesWith('dmabuf', (r) => ['map-op', 'import-map', 'import-umem'].includes(r.part))].sort() },
  // R18/R19 (issue 14)
  R18: { slug: 'dma-attr-require-coherent-misuse', triggers: ['DMA_ATTR_REQUIRE_COHERENT'] },
  R19: { slug: 'p2p-api-migration', checksCoreFiles: true, triggers: migrationTriggers() },
};

/** Rule ids in catalogue order. */
export const RULE_IDS: readonly string[] = Object.keys(RULE_TOKENS);

/** Whether a file at `path` whose lines hold `ids` is a candidate for the rule (its trigger, and every group of `requires`). */
export function isCandidate(tokens: RuleTokens, ids: ReadonlySet<string>, path: string): boolean {
  if (!tokens.triggers.some((t) => ids.has(t))) return false;
  if (tokens.requiresExempt?.test(path)) return true;
  return (tokens.requires ?? []).every((group) => group.some((t) => ids.has(t)));
}
