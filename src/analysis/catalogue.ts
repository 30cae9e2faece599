/**
 * The API catalogue: every kernel identifier the analysis and the rules know, with its role in
 * P2P value flow, its argument positions and the kernel versions it exists in, as rows of data
 * (the shape of CodeQL's source/sink/summary models). The value-flow engine, the rules'
 * pre-filter triggers, `--explain` and the README read it; nothing else lists these names.
 *
 * Sections follow ../shared/docs/p2p-rules.md (B1 sources, B2 predicates, B3 sinks, B5 pairings).
 */

/** What a source produces. Only the first six are P2P-tainted (spec section C, "T"). */
export type Produces =
  /** A P2P struct page (or a list of them). */
  | 'p2p-page'
  /** The kernel VA of p2pmem (pci_alloc_p2pmem). */
  | 'p2pmem-va'
  /** A scatterlist whose entries are p2pmem (pci_p2pmem_alloc_sgl). */
  | 'p2p-sgl'
  /** The CPU physical address of a PCI BAR. */
  | 'bar-phys'
  /** The PCI bus address of a BAR. */
  | 'bar-bus'
  /** A kernel VA (iomem) of a PCI BAR. */
  | 'bar-va'
  /** `ioremap*()` of an address: a PCI BAR VA when the address is a BAR phys, else platform MMIO. */
  | 'remap-of-arg'
  /** Platform/SoC MMIO (OF, AMBA, platform resources): not PCI, not a peer (global trap 5). */
  | 'platform-mmio'
  /** A P2P provider handle (6.19+). */
  | 'provider';

export type Role =
  /** The call's result (or, with `out`, what it writes through argument `out`) is memory of kind `produces`. */
  | { role: 'source'; produces: Produces; out?: number; device?: number }
  /** The result is the same memory as argument `from`, in another form (page of a VA, phys of a page). */
  | { role: 'carrier'; from: number }
  /** Fills the table/bvec at argument `target` with the memory of argument `from` (weak update). */
  | { role: 'writer'; target: number; from: number }
  /** Maps one range and carries no P2P information (B3). */
  | { role: 'single-map-sink'; memory: number; attrs?: number }
  /** Maps or unmaps a whole scatterlist at once; `aware`: handles P2P entries itself (pre-6.0 helpers). */
  | { role: 'list-map'; list: number; aware?: boolean; plain?: boolean; count?: number }
  | { role: 'list-unmap'; list: number; aware?: boolean; count?: number }
  /** A per-page P2P predicate (B2). */
  | { role: 'page-predicate'; subject: number }
  /** Returns the route (enum pci_p2pdma_map_type) of a page/provider for a device. */
  | { role: 'map-type-query' }
  /** A value of enum pci_p2pdma_map_type. */
  | { role: 'map-type-value' }
  /** Says whether a DMA device can take P2P (R3/R11's dominating checks). */
  | { role: 'capability-test'; subject: number }
  /** Says whether a request queue takes P2P. */
  | { role: 'queue-test' }
  /** Advertises P2P for a device or queue: a flag, an ops/initializer field, a call. */
  | { role: 'advertisement'; form: 'flag' | 'field' | 'call' }
  /** A GUP/iov_iter flag that lets P2P pages in. */
  | { role: 'gup-flag' }
  /** Pins user pages into the array at argument `pages` (or returns them). */
  | { role: 'gup-call'; pages?: number }
  /** An iterator macro over the entries of `list`, binding `entry`. */
  | { role: 'entry-iterator'; list: number; entry: number; over: 'list' | 'request' }
  /**
   * Data of a driver's request path that is P2P when the driver advertises P2P (exposure):
   * the result (or argument `out`) holds pages of the request at argument `from`.
   */
  | { role: 'exposed-accessor'; from: number; out?: number }
  /** The number of entries of the list or request at argument `of` (or of the object whose field it is). */
  | { role: 'entry-count'; of?: number }
  /** Returns (a copy of) the first entry of the list or request at argument `of`. */
  | { role: 'first-entry'; of: number; over: 'list' | 'request' }
  /** Registers the calling driver's device as a P2P provider. */
  | { role: 'provider-registration'; device: number }
  /** A field through which a container hands on the P2P memory it holds (`bv.bv_page`, `sgt->sgl`). */
  | { role: 'carrying-field' }
  /** The CPU reads or writes the memory at these argument positions (R10's sinks). */
  | { role: 'cpu-access'; memory: number[]; through: 'page' | 'pointer' }
  /** An identifier a rule keys on without a value-flow meaning (ops members, attributes, helpers). */
  | { role: 'vocabulary' };

export interface ApiRow {
  name: string;
  roles: Role[];
  /** First kernel version with the identifier, when it matters ("6.0"). */
  since?: string;
  /** First kernel version without it. */
  until?: string;
  /** Rules whose pre-filter wants this identifier besides what their roles derive. */
  rules?: string[];
  /** Rules that name the identifier in their checks without wanting it as a trigger. */
  mentionedBy?: string[];
}

const rows: ApiRow[] = [];
function api(name: string, roles: Role[], extra: Omit<ApiRow, 'name' | 'roles'> = {}): void {
  const known = rows.find((r) => r.name === name);
  if (known) {
    known.roles.push(...roles);
    if (extra.rules) known.rules = [...(known.rules ?? []), ...extra.rules];
    return;
  }
  rows.push({ name, roles, ...extra });
}
const src = (produces: Produces, more: Partial<Extract<Role, { role: 'source' }>> = {}): Role => ({ role: 'source', produces, ...more });
const carrier = (from = 0): Role => ({ role: 'carrier', from });
const vocab = (...rules: string[]) => ({ rules });
const V: Role = { role: 'vocabulary' };

// ---- B1 sources -------------------------------------------------------------------------------
api('pci_alloc_p2pmem', [src('p2pmem-va', { device: 0 })], { since: '4.20' });
api('pci_p2pmem_alloc_sgl', [src('p2p-sgl', { device: 0 })], { since: '4.20' });
api('pci_p2pmem_virt_to_bus', [src('bar-bus', { device: 0 })], { since: '4.20' });
api('pcim_p2pdma_provider', [src('provider', { device: 0 })], { since: '6.19' });
api('pci_resource_start', [src('bar-phys', { device: 0 })]);
api('pci_bus_address', [src('bar-bus', { device: 0 })]);
api('pcibios_resource_to_bus', [src('bar-bus', { out: 1 })]);
for (const n of ['pci_iomap', 'pci_iomap_range', 'pci_iomap_wc', 'pci_iomap_wc_range', 'pcim_iomap', 'pcim_iomap_region',
  'pcim_iomap_range', 'pci_ioremap_bar', 'pci_ioremap_wc_bar']) api(n, [src('bar-va', { device: 0 })]);
for (const n of ['ioremap', 'ioremap_wc', 'ioremap_uc', 'ioremap_cache', 'ioremap_np', 'ioremap_wt']) api(n, [src('remap-of-arg')]);
for (const n of ['devm_ioremap', 'devm_ioremap_wc', 'devm_ioremap_uc', 'devm_ioremap_np']) api(n, [{ role: 'source', produces: 'remap-of-arg', out: undefined }]);
for (const n of ['devm_ioremap_resource', 'devm_platform_ioremap_resource', 'devm_platform_ioremap_resource_byname',
  'devm_platform_get_and_ioremap_resource', 'of_iomap', 'devm_of_iomap', 'of_io_request_and_map']) api(n, [src('platform-mmio')]);

// Conversions that keep the memory a value stands for (B3 row "virt_to_page(p2p_va) ... fine").
for (const n of ['virt_to_page', 'sg_page', 'sg_virt', 'sg_phys', 'page_address', 'page_to_virt', 'page_to_phys',
  'page_to_pfn', 'pfn_to_page', 'phys_to_page', 'virt_to_phys', 'bvec_phys', 'bvec_virt', 'sg_next', 'folio_page',
  'page_folio', 'phys_to_virt', 'PFN_DOWN', 'PHYS_PFN', 'virt_to_pfn', 'sg_dma_page', 'nth_page', '__pfn_to_pfn_t',
  'pfn_to_pfn_t', 'phys_to_pfn_t', 'page_to_pfn_t', '__phys_to_pfn', 'PFN_PHYS', 'folio_pfn', 'pfn_to_phys', '__pa',
  'pfn_t_to_page', 'pfn_t_to_pfn', 'folio_address', 'bio_first_page_all', 'bio_page', 'sg_chain_ptr',
  'lower_32_bits', 'upper_32_bits', 'cpu_to_le64', 'ALIGN', 'ALIGN_DOWN', 'round_down', 'round_up']) api(n, [carrier()]);
// Wrappers and casts the engine looks through.
for (const n of ['READ_ONCE', 'unlikely', 'likely', 'ERR_CAST', 'PTR_ALIGN', 'untagged_addr']) api(n, [carrier()]);

// Writers: they fill a table or bvec with a page/VA (B3: sg_set_buf(sg, p2p_va, len) is how SGLs are built).
api('sg_set_page', [{ role: 'writer', target: 0, from: 1 }]);
api('sg_assign_page', [{ role: 'writer', target: 0, from: 1 }]);
api('sg_set_buf', [{ role: 'writer', target: 0, from: 1 }]);
api('sg_set_folio', [{ role: 'writer', target: 0, from: 1 }]);
api('sg_init_one', [{ role: 'writer', target: 0, from: 1 }]);
api('bvec_set_page', [{ role: 'writer', target: 0, from: 1 }]);
api('bvec_set_virt', [{ role: 'writer', target: 0, from: 1 }]);
api('bvec_set_folio', [{ role: 'writer', target: 0, from: 1 }]);
api('sg_chain', [{ role: 'writer', target: 0, from: 2 }]);
api('sg_alloc_table_from_pages', [{ role: 'writer', target: 0, from: 1 }]);
api('sg_alloc_append_table_from_pages', [{ role: 'writer', target: 0, from: 1 }]);
api('__bio_add_page', [{ role: 'writer', target: 0, from: 1 }]);
api('bio_add_page', [{ role: 'writer', target: 0, from: 1 }]);

// Fields through which a container hands on what it holds.
for (const n of ['bv_page', 'page', 'pages', 'sgl', 'sg', 'paddr', 'bv_offset', 'page_link']) api(n, [{ role: 'carrying-field' }]);

// GUP: flags and the calls that pin pages (the pages array is argument `pages`, or the result).
api('FOLL_PCI_P2PDMA', [{ role: 'gup-flag' }], { since: '6.2' });
api('ITER_ALLOW_P2PDMA', [{ role: 'gup-flag' }], { since: '6.3' });
for (const [n, pages] of [['pin_user_pages', 3], ['pin_user_pages_fast', 3], ['pin_user_pages_remote', 4],
  ['pin_user_pages_unlocked', 2], ['get_user_pages', 3], ['get_user_pages_fast', 3], ['get_user_pages_remote', 4],
  ['get_user_pages_unlocked', 2], ['iov_iter_extract_pages', 1], ['iov_iter_get_pages', 1], ['iov_iter_get_pages2', 1],
  ['iov_iter_get_pages_alloc', 1], ['iov_iter_get_pages_alloc2', 1]] as const) api(n, [{ role: 'gup-call', pages }]);

// Exposure: request data that is P2P when the driver advertises P2P for its queue.
api('req_bvec', [{ role: 'exposed-accessor', from: 0 }]);
api('mp_bvec_iter_bvec', [{ role: 'exposed-accessor', from: 0 }]);
api('bvec_iter_bvec', [{ role: 'exposed-accessor', from: 0 }]);
api('blk_rq_map_sg', [{ role: 'exposed-accessor', from: 0, out: 1 }]);
api('__blk_rq_map_sg', [{ role: 'exposed-accessor', from: 0, out: 1 }]);

// Entry counts and first entries of lists and requests (R1: "entry 0 is the whole list").
for (const n of ['blk_rq_nr_phys_segments', 'blk_rq_nr_segments', 'sg_nents', 'sg_nents_for_len', 'bio_segments']) api(n, [{ role: 'entry-count', of: 0 }]);
for (const n of ['nents', 'orig_nents', 'bi_vcnt', 'nr_phys_segments', 'nr_segments', 'nr_bvec']) api(n, [{ role: 'entry-count' }]);
for (const n of ['req_bvec', 'bio_first_bvec_all', 'bio_first_page_all', 'bio_first_folio_all']) api(n, [{ role: 'first-entry', of: 0, over: 'request' }]);
for (const n of ['sg_page', 'sg_phys', 'sg_virt', 'sg_dma_page']) api(n, [{ role: 'first-entry', of: 0, over: 'list' }]);

api('pci_p2pdma_add_resource', [{ role: 'provider-registration', device: 0 }], { since: '4.20' });
api('pcim_p2pdma_init', [{ role: 'provider-registration', device: 0 }], { since: '6.19' });

// ---- B2 predicates and queries ----------------------------------------------------------------
api('is_pci_p2pdma_page', [{ role: 'page-predicate', subject: 0 }], { since: '4.20' });
api('pci_p2pdma_state', [{ role: 'map-type-query' }], { since: '6.16' });
api('pci_p2pdma_map_type', [{ role: 'map-type-query' }], { since: '6.19' });
api('__pci_p2pdma_update_state', [{ role: 'map-type-query' }], { since: '6.16' });
for (const n of ['PCI_P2PDMA_MAP_UNKNOWN', 'PCI_P2PDMA_MAP_NONE', 'PCI_P2PDMA_MAP_NOT_SUPPORTED', 'PCI_P2PDMA_MAP_BUS_ADDR',
  'PCI_P2PDMA_MAP_THRU_HOST_BRIDGE']) api(n, [{ role: 'map-type-value' }], { since: '5.4' });
api('dma_pci_p2pdma_supported', [{ role: 'capability-test', subject: 0 }], { since: '6.0' });
api('ib_dma_pci_p2p_dma_supported', [{ role: 'capability-test', subject: 0 }], { since: '6.0' });
api('blk_queue_pci_p2pdma', [{ role: 'queue-test' }], { since: '4.20' });

// Advertisements (R3) and the exposure they create.
api('BLK_FEAT_PCI_P2PDMA', [{ role: 'advertisement', form: 'flag' }], { since: '6.11' });
api('QUEUE_FLAG_PCI_P2PDMA', [{ role: 'advertisement', form: 'flag' }], { since: '4.20', until: '6.11' });
api('supports_pci_p2pdma', [{ role: 'advertisement', form: 'field' }], { since: '4.20' });
api('DMA_F_PCI_P2PDMA_SUPPORTED', [{ role: 'advertisement', form: 'flag' }], { since: '6.0', until: '6.12' });
api('p2p_client', [{ role: 'advertisement', form: 'field' }]);

// ---- B3 sinks ---------------------------------------------------------------------------------
for (const [n, memory, attrs] of [['dma_map_page', 1], ['dma_map_page_attrs', 1, 5], ['dma_map_single', 1],
  ['dma_map_single_attrs', 1, 4], ['ib_dma_map_page', 1], ['ib_dma_map_single', 1], ['dma_map_bvec', 1],
  ['ib_dma_map_bvec', 1], ['dma_map_phys', 1, 4], ['dma_iova_link', 2, 6]] as const) {
  api(n, [{ role: 'single-map-sink', memory, attrs }]);
}
for (const [n, aware, plain] of [['dma_map_sg', false, true], ['dma_map_sg_attrs', false, true], ['dma_map_sgtable', false, false],
  ['ib_dma_map_sg', false, true], ['ib_dma_map_sg_attrs', false, true], ['ib_dma_map_sgtable_attrs', false, false],
  ['pci_p2pdma_map_sg', true, false], ['pci_p2pdma_map_sg_attrs', true, false], ['rdma_rw_map_sg', true, false]] as const) {
  api(n, [{ role: 'list-map', list: 1, aware, plain, count: n.includes('sgtable') ? undefined : 2 }]);
}
for (const [n, aware] of [['dma_unmap_sg', false], ['dma_unmap_sg_attrs', false], ['dma_unmap_sgtable', false],
  ['ib_dma_unmap_sg', false], ['ib_dma_unmap_sg_attrs', false], ['ib_dma_unmap_sgtable_attrs', false],
  ['pci_p2pdma_unmap_sg', true], ['pci_p2pdma_unmap_sg_attrs', true], ['rdma_rw_unmap_sg', true]] as const) {
  api(n, [{ role: 'list-unmap', list: 1, aware, count: n.includes('sgtable') ? undefined : 2 }]);
}
api('pci_p2pdma_map_sg', [], { until: '6.0' });
api('pci_p2pdma_unmap_sg', [], { since: '5.4', until: '6.0' });

// Iterators over list entries and request segments: (list, entry) argument positions.
for (const [n, list, entry] of [['for_each_sg', 0, 1], ['for_each_sgtable_sg', 0, 1], ['for_each_sgtable_dma_sg', 0, 1],
  ['for_each_sg_page', 0, 1], ['for_each_sgtable_page', 0, 1], ['for_each_sg_dma_page', 0, 1],
  ['bio_for_each_segment', 1, 0], ['bio_for_each_bvec', 1, 0], ['rq_for_each_segment', 1, 0], ['rq_for_each_bvec', 1, 0],
  ['__bio_for_each_segment', 1, 0], ['__bio_for_each_bvec', 1, 0], ['bio_for_each_segment_all', 1, 0],
  ['bio_for_each_bvec_all', 1, 0], ['bip_for_each_vec', 1, 0]] as const) {
  api(n, [{ role: 'entry-iterator', list, entry, over: list === 0 ? 'list' : 'request' }]);
}

// ---- identifiers rules key on (their pre-filter triggers), beyond the roles above -------------
for (const [name, ids] of Object.entries({
  R1: ['pci_p2pmem_alloc_sgl'],
  R2: ['pci_p2pdma_map_sg', 'pci_p2pdma_map_sg_attrs', 'rdma_rw_map_sg', 'bvec_phys'],
  R3: ['ib_virt_dma_to_page', 'ib_virt_dma_to_ptr', 'get_dma_ops', 'dma_ops'],
  R4: ['pci_p2pdma_distance', 'pci_p2pdma_distance_many', 'pci_p2pdma_bus_addr_map', 'map_dma_buf'],
  R5: ['pci_p2pdma_map_segment', 'dma_map_sgtable', 'ib_dma_map_sgtable_attrs'],
  R6: ['DMA_ATTR_MMIO', 'sg_dma_is_bus_address', 'sg_is_dma_bus_address', 'sg_dma_mark_bus_address',
    'blk_rq_dma_unmap', 'blk_rq_integrity_dma_unmap', 'pci_p2pdma_bus_addr_map'],
  R7: ['dma_map_phys', 'dma_iova_link', 'dma_unmap_phys', 'dma_iova_destroy', 'dma_iova_unlink', 'DMA_ATTR_MMIO',
    'DMA_ATTR_SKIP_CPU_SYNC'],
  R8: ['dma_map_resource'],
  R9: ['sg_dma_address', 'dma_address', 'pcibios_resource_to_bus', 'bus_offset', 'bus_off', 'sg_dma_mark_bus_address'],
  R10: ['dma_buf_map_attachment', 'dma_buf_map_attachment_unlocked', 'ib_umem_dmabuf_get', 'ib_umem_dmabuf_get_pinned',
    'ib_umem_dmabuf_get_pinned_with_dma_device', 'reg_user_mr_dmabuf', 'dma_buf_attach', 'dma_buf_dynamic_attach'],
  R12: ['bv_len', 'biovec_phys_mergeable', 'REQ_NOMERGE', 'REQ_NOMERGE_FLAGS'],
  R13: ['pci_alloc_p2pmem', 'pci_free_p2pmem', 'pci_p2pmem_alloc_sgl', 'pci_p2pmem_find', 'pci_p2pmem_find_many',
    'pci_p2pmem_virt_to_bus', 'devm_kfree'],
  R14: ['vm_insert_page', 'vm_insert_pages', 'vm_insert_pfn', 'vmf_insert_pfn', 'vmf_insert_pfn_prot', 'vmf_insert_mixed',
    'vmf_insert_mixed_mkwrite', 'remap_pfn_range', 'io_remap_pfn_range', 'vm_iomap_memory', 'vmf_insert_pfn_pmd',
    'vmf_insert_pfn_pud', 'pci_mmap_p2pmem', 'p2pmem_alloc_mmap'],
  R15: ['is_zone_device_page', 'folio_is_zone_device', 'is_zone_device_folio', 'is_device_private_page',
    'folio_is_device_private', 'page_pgmap', 'pgmap', 'hmm_pfn_to_page'],
})) for (const id of ids) api(id, [V], vocab(name));

// CPU accesses (R10): the memory argument positions; through a page/list entry, or a pointer.
for (const [n, args] of Object.entries({
  kmap: [0], kmap_atomic: [0], kmap_local_page: [0], kmap_local_folio: [0], page_address: [0], folio_address: [0],
  sg_virt: [0], bvec_virt: [0], bvec_kmap_local: [0], sg_copy_to_buffer: [0], sg_copy_from_buffer: [0],
  sg_pcopy_to_buffer: [0], sg_pcopy_from_buffer: [0], sg_zero_buffer: [0], sg_miter_start: [1], memcpy_to_page: [0],
  memcpy_from_page: [1], memcpy_page: [0, 2], zero_user: [0], zero_user_segments: [0], copy_page_to_iter: [0],
  copy_page_from_iter: [0],
} as Record<string, number[]>)) api(n, [{ role: 'cpu-access', memory: args, through: 'page' }]);
for (const [n, args] of Object.entries({
  memcpy: [0, 1], memmove: [0, 1], memset: [0], memcmp: [0, 1], copy_to_user: [1], copy_from_user: [0],
  __copy_to_user: [1], __copy_from_user: [0], copy_to_iter: [0], copy_from_iter: [0], csum_partial: [0],
} as Record<string, number[]>)) api(n, [{ role: 'cpu-access', memory: args, through: 'pointer' }]);

// Identifiers the rules name in their checks (pairings, exemptions, markers), by rule.
for (const [rule, ids] of Object.entries({
  R3: ['blk_queue_flag_set', 'map_sg', 'ib_umem_get', 'ib_uses_virt_dma', 'phys_to_virt'],
  R4: ['dma_buf_phys_vec_to_sgt', 'blk_rq_dma_map_iter_start'],
  R6: ['blk_rq_dma_map_iter_start', 'blk_rq_integrity_dma_map_iter_start'],
  R8: ['dma_buf_ops', 'dma_buf_export', 'map_resource'],
  R9: ['map_sg', 'map_page', 'map_phys', 'map_resource', 'unmap_sg'],
  R10: ['offset_in_page', 'virt_addr_valid', 'is_vmalloc_addr', 'allow_peer2peer', 'peer2peer', 'BLK_BOUNCE_NONE',
    'BLK_BOUNCE_ANY', 'blk_queue_flag_set', 'blk_queue_bounce_limit', 'SWIOTLB_FORCE'],
  R11: ['FOLL_LONGTERM', 'ib_umem_get'],
  R12: ['REQ_P2PDMA', 'p2p_dev', 'zone_device_pages_have_same_pgmap', 'bvec_try_merge_page', 'bvec_try_merge_hw_page',
    'page_is_mergeable'],
  R13: ['pci_p2pmem_free_sgl', 'sgl_free', 'sgl_free_order', 'sgl_free_n_order', 'sg_free_table', 'kfree', 'kvfree',
    'devm_memremap_pages', 'devm_memunmap_pages', 'memremap_pages', 'memunmap_pages', 'p2p_pgmap', 'pci_p2pdma_pagemap',
    'to_p2p_pgmap', 'pci_dev_put'],
  R14: ['set_page_count'],
  R15: ['MEMORY_DEVICE_PCI_P2PDMA', 'REQ_P2PDMA', 'HMM_PFN_P2PDMA', 'HMM_PFN_P2PDMA_BUS', 'IOD_DATA_P2P', 'BIP_P2P_DMA',
    'HMM_PFN_ALLOW_P2P', 'get_page', 'folio_get', 'try_get_page', 'get_page_unless_zero', 'folio_try_get', 'page_ref_inc',
    'pin_user_page'],
})) for (const id of ids) {
  const known = rows.find((r) => r.name === id);
  if (known) known.mentionedBy = [...(known.mentionedBy ?? []), rule];
  else rows.push({ name: id, roles: [V], mentionedBy: [rule] });
}

// R18 kernel memory ---------------------------------------------------------------------------
// Spec R18: the allocators whose memory is kernel memory (never user memory behind a coherent
// uAPI), the struct fields that hold such memory, and the user-memory sources whose presence in a
// file makes a buffer of unknown origin plausibly user memory.
export const KERNEL_ALLOCATORS: ReadonlySet<string> = new Set([
  'kmalloc', 'kzalloc', 'kcalloc', 'kmalloc_array', 'kmalloc_node', 'kzalloc_node', 'kmemdup', 'krealloc',
  'kvmalloc', 'kvzalloc', 'kvcalloc', 'kvmalloc_array', 'kvmalloc_node', 'kvzalloc_node', 'devm_kmalloc', 'devm_kzalloc',
  'devm_kcalloc', 'kmem_cache_alloc', 'kmem_cache_zalloc', 'vmalloc', 'vzalloc',
  'alloc_pages', 'alloc_page', 'alloc_pages_node', '__get_free_pages', '__get_free_page', 'get_zeroed_page', 'dev_alloc_pages',
  'dev_alloc_page', 'folio_alloc', 'folio_alloc_node',
  'page_pool_alloc_pages', 'page_pool_dev_alloc_pages', 'page_pool_alloc_frag', 'page_pool_dev_alloc_frag',
  'page_pool_alloc_va', 'page_pool_dev_alloc_va', 'page_pool_alloc_netmem', 'page_pool_dev_alloc_netmem', 'page_pool_alloc',
  'page_pool_dev_alloc', 'skb_frag_page', 'skb_frag_address', 'netdev_alloc_frag', 'napi_alloc_frag', 'page_frag_alloc',
]);
/** Fields that hold kernel memory: the struct type and the field. */
export const KERNEL_MEMORY_FIELDS: readonly { type: string; field: string }[] = [
  { type: 'struct sk_buff', field: 'data' }, { type: 'struct sk_buff', field: 'head' },
];
export const USER_MEMORY_SOURCES: ReadonlySet<string> = new Set([
  'pin_user_pages', 'pin_user_pages_fast', 'pin_user_pages_remote', 'pin_user_pages_unlocked', 'get_user_pages',
  'get_user_pages_fast', 'get_user_pages_remote', 'get_user_pages_unlocked', 'iov_iter_extract_pages', 'hmm_range_fault',
  'ib_umem_get', 'ib_umem_odp_get', 'pin_user_pages_fast_only', 'get_user_pages_fast_only', 'iov_iter_get_pages2',
  'iov_iter_get_pages_alloc2', 'hmm_dma_map_pfn',
]);
api('DMA_ATTR_REQUIRE_COHERENT', [V], { ...vocab('R18'), since: '7.0' });

// R19 migrations ------------------------------------------------------------------------------
// The removed/renamed table of spec R19 as data. `forms`: how the old identifier occurs in code
// (a call, any token, a struct tag, a struct field); `arity`: only calls of exactly that many
// arguments are the old shape; `mechanical`: the one-to-one edit (a rename of the token, or an
// argument dropped), absent where the replacement needs a decision; `notIn`: files where the
// identifier still exists (the file that made it static).
export interface Migration {
  old: string;
  form: 'call' | 'token' | 'struct' | 'field';
  arity?: number;
  /** First version without the identifier (or the call shape). */
  goneIn: string;
  replacement: string;
  /** Of the version boundary (spec section A): an 'unsure' one lowers the finding by one level. */
  confidence: 'sure' | 'likely' | 'unsure';
  mechanical?: { rename: string } | { dropArg: number };
  notIn?: RegExp;
  /**
   * What replaced it, as code reads (`struct phys_vec`); a rename's new name counts without being
   * listed. A patch that removes these and adds the old identifier undoes the migration: its base
   * still has the old API.
   */
  successors?: string[];
  /** A field only in initializers of this struct (`struct dma_map_ops` `.flags`); the struct's name is the trigger. */
  inInitializerOf?: string;
}
const MIGRATIONS: Migration[] = [
  ...['pci_p2pdma_map_sg', 'pci_p2pdma_map_sg_attrs', 'pci_p2pdma_unmap_sg', 'pci_p2pdma_unmap_sg_attrs'].map((old): Migration => ({
    old, form: 'call', goneIn: '6.0', confidence: 'likely',
    replacement: 'map with dma_map_sgtable()/dma_unmap_sgtable() (ib_dma_map_sgtable_attrs() for RDMA), which handle P2P entries one by one, and handle -EREMOTEIO',
    successors: ['dma_map_sgtable', 'dma_unmap_sgtable', 'ib_dma_map_sgtable_attrs', 'ib_dma_unmap_sgtable_attrs', 'dma_map_sg', 'dma_map_sg_attrs',
      'dma_unmap_sg', 'dma_unmap_sg_attrs', 'ib_dma_map_sg', 'ib_dma_unmap_sg', 'ib_dma_map_sg_attrs', 'ib_dma_unmap_sg_attrs'] })),
  { old: 'dma_virt_ops', form: 'token', goneIn: '5.11', confidence: 'likely', replacement: 'test ib_uses_virt_dma() and reject P2P memory for such devices',
    successors: ['ib_uses_virt_dma'] },
  { old: 'QUEUE_FLAG_PCI_P2PDMA', form: 'token', goneIn: '6.11', confidence: 'sure',
    replacement: 'set lim.features |= BLK_FEAT_PCI_P2PDMA in the queue limits (test with blk_queue_pci_p2pdma())', successors: ['BLK_FEAT_PCI_P2PDMA'] },
  { old: 'DMA_F_PCI_P2PDMA_SUPPORTED', form: 'token', goneIn: '6.12', confidence: 'sure',
    replacement: 'nothing replaces it (struct dma_map_ops has no flags): a device with custom dma_map_ops is not P2P capable; gate on dma_pci_p2pdma_supported()',
    successors: ['dma_pci_p2pdma_supported'] },
  { old: 'flags', form: 'field', inInitializerOf: 'dma_map_ops', goneIn: '6.12', confidence: 'sure',
    replacement: 'struct dma_map_ops has no flags: drop the field (custom dma_map_ops are not P2P capable)' },
  { old: 'sg_is_dma_bus_address', form: 'call', goneIn: '6.5', confidence: 'unsure', replacement: 'sg_dma_is_bus_address()',
    mechanical: { rename: 'sg_dma_is_bus_address' } },
  { old: 'pci_p2pdma_map_segment', form: 'call', goneIn: '6.16', confidence: 'likely',
    replacement: 'pci_p2pdma_state() per range and pci_p2pdma_bus_addr_map() for BUS_ADDR (pci-p2pdma.h)', successors: ['pci_p2pdma_state', 'pci_p2pdma_bus_addr_map'] },
  { old: 'pci_has_p2pmem', form: 'call', goneIn: '6.18', confidence: 'sure', notIn: /(^|\/)drivers\/pci\/p2pdma\.c$/,
    replacement: 'pci_p2pmem_find() / pci_p2pmem_find_many() (pci_has_p2pmem() is static in drivers/pci/p2pdma.c)', successors: ['pci_p2pmem_find', 'pci_p2pmem_find_many'] },
  { old: 'REQ_P2PDMA', form: 'token', goneIn: '6.19', confidence: 'sure',
    replacement: 'bios need no flag (6.18: REQ_NOMERGE and the same-pgmap checks of bio_add_page()); for requests record iter.p2pdma.map and pass it to blk_rq_dma_unmap()' },
  { old: 'BIP_P2P_DMA', form: 'token', goneIn: '6.19', confidence: 'sure',
    replacement: 'record the integrity iterator\'s p2pdma.map and pass it to the unmap' },
  ...['blk_dma_unmap', 'blk_rq_integrity_dma_unmap'].map((old): Migration => ({ old, form: 'call', goneIn: '6.19', confidence: 'sure',
    replacement: 'blk_rq_dma_unmap(req, dma_dev, state, mapped_len, map) with map recorded from iter.p2pdma.map' })),
  { old: 'blk_rq_dma_unmap', form: 'call', arity: 4, goneIn: '6.19', confidence: 'sure',
    replacement: 'blk_rq_dma_unmap(req, dma_dev, state, mapped_len, map), with map recorded from iter.p2pdma.map at map time' },
  { old: 'blk_rq_dma_map_iter_next', form: 'call', arity: 4, goneIn: '7.0', confidence: 'likely',
    replacement: 'blk_rq_dma_map_iter_next(req, dma_dev, iter): the struct dma_iova_state argument is gone', mechanical: { dropArg: 2 } },
  { old: 'dma_buf_phys_vec', form: 'struct', goneIn: '7.0', confidence: 'likely', replacement: 'now defined in include/linux/types.h', successors: ['struct phys_vec'],
    mechanical: { rename: 'phys_vec' } },
  { old: 'DMA_ATTR_CPU_CACHE_CLEAN', form: 'token', goneIn: '7.0', confidence: 'likely', replacement: 'DMA_ATTR_DEBUGGING_IGNORE_CACHELINES',
    mechanical: { rename: 'DMA_ATTR_DEBUGGING_IGNORE_CACHELINES' } },
  { old: 'dma_buf_move_notify', form: 'call', goneIn: '7.1', confidence: 'likely', replacement: 'dma_buf_invalidate_mappings()',
    mechanical: { rename: 'dma_buf_invalidate_mappings' } },
  { old: 'move_notify', form: 'field', goneIn: '7.1', confidence: 'likely',
    replacement: 'the dma_buf_attach_ops callback is now optional: a pinned importer without a real one omits it',
    mechanical: { rename: 'invalidate_mappings' } },
  { old: 'CONFIG_DMABUF_MOVE_NOTIFY', form: 'token', goneIn: '7.1', confidence: 'likely',
    replacement: 'drop the condition: dynamic dma-buf invalidation is always built' },
];
export function migrations(): readonly Migration[] {
  return MIGRATIONS;
}
/** The identifiers whose presence makes a file a candidate for R19. */
export function migrationTriggers(): string[] {
  return [...new Set(MIGRATIONS.map((m) => m.inInitializerOf ?? m.old))].sort();
}
for (const id of migrationTriggers()) api(id, [V], vocab('R19'));
/** Preprocessor tests that make a block version-compatibility code (R19 must not fire inside). */
export const VERSION_TESTS: readonly string[] = ['LINUX_VERSION_CODE', 'KERNEL_VERSION'];
for (const id of VERSION_TESTS) api(id, [V], { mentionedBy: ['R19'] });

export const CATALOGUE: readonly ApiRow[] = rows;
const byName = new Map(rows.map((r) => [r.name, r]));

export function apiRow(name: string): ApiRow | undefined {
  return byName.get(name);
}

export function rolesOf(name: string): readonly Role[] {
  return byName.get(name)?.roles ?? [];
}

export function roleOf<K extends Role['role']>(name: string, role: K): Extract<Role, { role: K }> | undefined {
  return byName.get(name)?.roles.find((r) => r.role === role) as Extract<Role, { role: K }> | undefined;
}

/** Names that have a role (optionally passing a test). */
export function namesWith<K extends Role['role']>(role: K, test: (r: Extract<Role, { role: K }>) => boolean = () => true): Set<string> {
  const out = new Set<string>();
  for (const row of rows) for (const r of row.roles) if (r.role === role && test(r as Extract<Role, { role: K }>)) out.add(row.name);
  return out;
}

/** The P2P-tainted kinds of memory (spec C: "T"); providers, platform MMIO and remaps of unknown addresses are not. */
export const TAINTED: ReadonlySet<Produces> = new Set(['p2p-page', 'p2pmem-va', 'p2p-sgl', 'bar-phys', 'bar-bus', 'bar-va']);

/**
 * A rule's pre-filter triggers, derived: the identifiers of the roles the rule queries plus the
 * identifiers the catalogue files under the rule.
 */
export function triggersOf(ruleId: string, roles: readonly Role['role'][] = []): string[] {
  const out = new Set<string>();
  for (const row of rows) {
    if (row.rules?.includes(ruleId)) out.add(row.name);
    if (row.roles.some((r) => roles.includes(r.role) && (r.role !== 'source' || TAINTED.has(r.produces) || r.produces === 'remap-of-arg'))) out.add(row.name);
  }
  return [...out].sort();
}
