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
  // issue 14 R12 (api2)
  /** A core helper that adds the page at `page` to the bio at `bio` and, from 6.17, marks a P2P bio itself (REQ_NOMERGE). */
  | { role: 'bio-add'; bio: number; page: number }
  // issue 14 R5 (api2)
  /**
   * A struct field and its declared type (the kernel header's), for values known by type rather than by
   * how a driver names them; `settled`: routes the struct's producer has already failed (it never holds them).
   */
  | { role: 'field-type'; struct: string; type: string; settled?: string[] }
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
  /**
   * A flag that records "this memory is P2P/MMIO" for one mapping (`bus`: that it is a peer bus
   * address). Drivers' own flags of this kind are learned from where the code stores them.
   */
  | { role: 'p2p-state-flag'; bus?: boolean }
  /** Says whether a mapped list entry holds a peer bus address (not an IOVA): nothing to unmap. */
  | { role: 'bus-address-test' }
  /**
   * A ZONE_DEVICE page test (R15): `any` is true for every ZONE_DEVICE kind (P2P, device-private,
   * device-coherent, fsdax), `device-private` only for device-private pages.
   */
  | { role: 'zone-device-test'; kind: 'any' | 'device-private'; subject: number }
  /** Returns a device's dma_map_ops (NULL: dma-direct): a hand-rolled stand-in for a capability test (R3). */
  | { role: 'dma-ops-query'; subject: number }
  /** Returns a P2P provider found for a client: a peer of the caller's device. */
  | { role: 'peer-lookup' }
  /** The field holding a provider's CPU-to-bus offset (struct pci_p2pdma_pagemap, struct p2pdma_provider). */
  | { role: 'bus-offset-field' }
  /**
   * A DMA-API map or unmap call for pairing (spec B5): the family it belongs to, the argument that
   * identifies the mapping, the memory it maps, its attrs argument (absent: the form takes none).
   */
  | { role: 'dma-mapping'; op: 'map' | 'unmap'; family: MappingFamily; subject: number; memory?: number; attrs?: number }
  /** R16/R17 dma-buf: the part an identifier plays in the dma-buf attachment and revoke contract (B8). */
  | { role: 'dmabuf'; part: DmabufPart; arg?: number }
  /** An identifier a rule keys on without a value-flow meaning (ops members, attributes, helpers). */
  | { role: 'vocabulary' }
  // core2 (global trap 1, iterator copies): what block-core iterator code is made of
  /**
   * Block-core iterator vocabulary (trap 1 (b)-(d)): `bvec-walk` walks bvecs already in a bio or
   * integrity payload; `bio-vector` is a field whose writes build a bio (its vector or flags);
   * `phys-merge-test` is the mapping-time merge test of two such bvecs.
   */
  | { role: 'core-iterator'; part: 'bvec-walk' | 'bio-vector' | 'phys-merge-test' };

/** Map/unmap families: an unmap mirrors a map of the same family. */
export type MappingFamily = 'phys' | 'page' | 'single' | 'iova' | 'resource' | 'iommu' | 'list' | 'p2p-list';

// R16/R17 dma-buf
export type DmabufPart =
  /** Returns an imported table (or, `umem`: an object whose `sgt` is one) for the importer's device. */
  | 'import-map' | 'import-umem'
  /** Unmaps an imported table. */
  | 'import-unmap'
  /** Creates an attachment; `arg`: the importer ops (dynamic attach). */
  | 'attach'
  /** Pins the buffer or imports it pinned, without a revoke callback. */
  | 'pin'
  /** Imports pinned and revocable, returning with the dma_resv lock held. */
  | 'pin-revocable-locked'
  /** Releases what pin-revocable-locked took. */
  | 'revoke-unlock'
  /** Installs a revoke callback (`arg`: the callback). */
  | 'set-revoke'
  /** Tells importers to drop their mappings (exporter's revoke step 3). */
  | 'notify'
  /** dma_resv locking around the notify. */
  | 'resv-lock' | 'resv-unlock' | 'resv-held'
  /** Waits on the reservation's fences; `arg`: the usage argument. */
  | 'fence-wait'
  /** The fence usage that covers every fence (what a revoke must wait for). */
  | 'usage-all'
  /** Waits for outstanding work to finish (the unmap count reaching zero). */
  | 'unmap-wait'
  /** Exporter's map_dma_buf evidence of peer/MMIO memory (spec R16 Scope). */
  | 'mmio-export'
  /** Refuses attachments that cannot be revoked (7.1). */
  | 'revocable-test'
  /** Gives up the BAR or provider, resets or disables the device: what must wait for the importers. */
  | 'teardown'
  /** Defers work instead of doing it now. */
  | 'defer'
  /** The exporter-mediated CPU path (dma_buf_vmap, begin_cpu_access): fine for importers. */
  | 'exporter-cpu'
  /** Takes the CPU side (struct page, VA, phys) of a table entry. */
  | 'cpu-entry'
  /** Iterates a table by its CPU list, or is its CPU entry count. */
  | 'cpu-walk'
  /** Iterates a table by its DMA list. */
  | 'dma-walk'
  /** An ops-table member of the exporter (`dma_buf_ops`; `map-op`: the members that map/unmap for an attachment) or the importer (`dma_buf_attach_ops`). */
  | 'exporter-op' | 'map-op' | 'importer-invalidate' | 'importer-p2p'
  /** The ops struct types themselves, and the RDMA importer's umem type (whose `sgt` is an imported table). */
  | 'exporter-ops' | 'importer-ops' | 'umem-type'
  /** An ops member through which userspace starts a revoke (close, ioctl, reset/FLR). */
  | 'user-trigger'
  /** The attachment's negotiated peer-to-peer flag. */
  | 'peer2peer';

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
  /** What the versions do not say (issue 14 spec revision): a change of meaning, of signature, or of visibility. */
  note?: string;
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
// issue 14 R12 (api2): the core's bio builders mark P2P bios themselves from 6.17: __bio_add_page() sets
// REQ_P2PDMA | REQ_NOMERGE on 6.17, REQ_NOMERGE from 6.18; the others end in it. A bio filled any other
// way (bvec_set_page() on its bi_io_vec, a bv_page store) must set the marker itself (spec R12).
for (const n of ['__bio_add_page', 'bio_add_page', 'bio_add_folio', 'bio_add_folio_nofail', 'bio_add_virt_nofail']) {
  api(n, [{ role: 'bio-add', bio: 0, page: 1 }]);
}
api('bi_io_vec', [V], vocab('R12'));
// issue 14 R5 (api2): where a P2P map type is held, by declared type (include/linux/pci-p2pdma.h, blk-mq-dma.h):
// struct pci_p2pdma_map_state.map (6.16+), embedded as struct blk_dma_iter.p2pdma (6.17+). blk_rq_dma_map_iter_start()
// and blk_rq_integrity_dma_map_iter_start() fail PCI_P2PDMA_MAP_NOT_SUPPORTED with BLK_STS_INVAL before a caller sees the iterator.
api('map', [{ role: 'field-type', struct: 'struct pci_p2pdma_map_state', type: 'enum pci_p2pdma_map_type' }]);
api('p2pdma', [{ role: 'field-type', struct: 'struct blk_dma_iter', type: 'struct pci_p2pdma_map_state', settled: ['PCI_P2PDMA_MAP_NOT_SUPPORTED'] }], { since: '6.17' });

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

// Flags that record one mapping's P2P/MMIO state (spec A, B5): a driver's own flags are learned
// from the arms that set them (map-pairing.ts, stateWords).
api('HMM_PFN_P2PDMA', [{ role: 'p2p-state-flag' }], { since: '6.16' });
api('HMM_PFN_P2PDMA_BUS', [{ role: 'p2p-state-flag', bus: true }], { since: '6.16' });
api('REQ_P2PDMA', [{ role: 'p2p-state-flag' }], { since: '6.17', until: '6.19' });
api('BIP_P2P_DMA', [{ role: 'p2p-state-flag' }], { since: '6.18', until: '6.19' });
api('DMA_ATTR_MMIO', [{ role: 'p2p-state-flag' }], { since: '6.18' });

// Devices other than the driver's own (R9's "peer"), and the provider's bus offset.
// (a PCI lookup by ID or slot finds another function of the same card or a companion device,
// e.g. intel-gtt's IGD: not a P2P peer)
for (const n of ['pci_p2pmem_find', 'pci_p2pmem_find_many']) api(n, [{ role: 'peer-lookup' }]);
api('bus_offset', [{ role: 'bus-offset-field' }]);
api('sg_dma_is_bus_address', [{ role: 'bus-address-test' }], { since: '6.5' });
api('sg_is_dma_bus_address', [{ role: 'bus-address-test' }], { since: '6.0', until: '6.5' });
api('to_pci_dev', [carrier()]);
// ZONE_DEVICE page tests (R15) and the hand-rolled dma_ops test (R3): stored results are guards too
for (const n of ['is_zone_device_page', 'folio_is_zone_device', 'is_zone_device_folio']) api(n, [{ role: 'zone-device-test', kind: 'any', subject: 0 }]);
for (const n of ['is_device_private_page', 'folio_is_device_private']) api(n, [{ role: 'zone-device-test', kind: 'device-private', subject: 0 }]);
api('get_dma_ops', [{ role: 'dma-ops-query', subject: 0 }]);
api('pci_dev_get', [carrier()]);

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

// ---- B5 pairings: every map and unmap call, by family (map-pairing.ts) ------------------------
// [name, op, family, attrs argument, memory argument (maps: 1 unless given)]
for (const [n, op, family, attrs, memory] of [
  ['dma_map_phys', 'map', 'phys', 4], ['dma_unmap_phys', 'unmap', 'phys', 4], ['dma_iova_link', 'map', 'iova', 6, 2],
  ['dma_iova_unlink', 'unmap', 'iova', 5], ['dma_iova_destroy', 'unmap', 'iova', 4], ['dma_map_page', 'map', 'page', undefined],
  ['dma_map_page_attrs', 'map', 'page', 5], ['dma_unmap_page', 'unmap', 'page', undefined], ['dma_unmap_page_attrs', 'unmap', 'page', 4],
  ['dma_map_single', 'map', 'single', undefined], ['dma_map_single_attrs', 'map', 'single', 4], ['dma_unmap_single', 'unmap', 'single', undefined],
  ['dma_unmap_single_attrs', 'unmap', 'single', 4], ['dma_map_resource', 'map', 'resource', 4], ['dma_unmap_resource', 'unmap', 'resource', 4],
  ['dma_map_sg', 'map', 'list', undefined], ['dma_map_sg_attrs', 'map', 'list', 4], ['dma_map_sgtable', 'map', 'list', 3],
  ['ib_dma_map_sg', 'map', 'list', undefined], ['ib_dma_map_sg_attrs', 'map', 'list', 4], ['ib_dma_map_sgtable_attrs', 'map', 'list', 3],
  ['dma_unmap_sg', 'unmap', 'list', undefined], ['dma_unmap_sg_attrs', 'unmap', 'list', 4], ['dma_unmap_sgtable', 'unmap', 'list', 3],
  ['ib_dma_unmap_sg', 'unmap', 'list', undefined], ['ib_dma_unmap_sg_attrs', 'unmap', 'list', 4], ['ib_dma_unmap_sgtable_attrs', 'unmap', 'list', 3],
  ['pci_p2pdma_map_sg', 'map', 'p2p-list', undefined], ['pci_p2pdma_map_sg_attrs', 'map', 'p2p-list', 4], ['rdma_rw_map_sg', 'map', 'p2p-list', undefined],
  ['pci_p2pdma_unmap_sg', 'unmap', 'p2p-list', undefined], ['pci_p2pdma_unmap_sg_attrs', 'unmap', 'p2p-list', 4], ['rdma_rw_unmap_sg', 'unmap', 'p2p-list', undefined],
  ['iommu_unmap', 'unmap', 'iommu', undefined],
] as const) {
  api(n, [{ role: 'dma-mapping', op, family, subject: 1, attrs, memory: memory ?? (op === 'map' ? 1 : undefined) }]);
}

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

// core2 (global trap 1): the block-core iterators' walks over bvecs already in a bio, the fields
// whose writes build bios, and the mapping-time merge test (what a copied core iterator is made of)
for (const n of ['bio_iter_iovec', 'mp_bvec_iter_bvec', 'bvec_iter_advance', 'bvec_iter_advance_single', 'bio_advance_iter_single',
  'rq_for_each_bvec', 'bio_for_each_bvec', 'bip_for_each_vec', 'bio_for_each_integrity_vec']) {
  api(n, [{ role: 'core-iterator', part: 'bvec-walk' }]);
}
for (const n of ['bi_io_vec', 'bip_vec', 'bi_opf']) api(n, [{ role: 'core-iterator', part: 'bio-vector' }]);
api('biovec_phys_mergeable', [{ role: 'core-iterator', part: 'phys-merge-test' }]);
// end core2

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

// R16/R17 dma-buf ------------------------------------------------------------------------------
{
  const dmabuf = (part: DmabufPart, arg?: number): Role => ({ role: 'dmabuf', part, ...(arg !== undefined ? { arg } : {}) });
  const row = (name: string, part: DmabufPart, extra: Omit<ApiRow, 'name' | 'roles'> = {}, arg?: number) => {
    api(name, [dmabuf(part, arg)], extra);
    // rows other sections made first keep their roles and gain the versions
    const known = rows.find((r) => r.name === name)!;
    known.since ??= extra.since;
    known.until ??= extra.until;
  };
  for (const n of ['dma_buf_map_attachment', 'dma_buf_map_attachment_unlocked']) row(n, 'import-map');
  for (const n of ['dma_buf_unmap_attachment', 'dma_buf_unmap_attachment_unlocked']) row(n, 'import-unmap');
  row('dma_buf_attach', 'attach');
  row('dma_buf_dynamic_attach', 'attach', {}, 2);
  row('dma_buf_attach_revocable', 'revocable-test', { since: '7.1' });
  row('dma_buf_invalidate_mappings', 'notify', { since: '7.1' });
  row('dma_buf_move_notify', 'notify', { since: '5.11', until: '7.1' });
  for (const n of ['dma_resv_lock', 'dma_resv_lock_interruptible', 'dma_resv_trylock']) row(n, 'resv-lock');
  row('dma_resv_unlock', 'resv-unlock');
  row('dma_resv_assert_held', 'resv-held');
  row('dma_resv_wait_timeout', 'fence-wait', {}, 1);
  row('DMA_RESV_USAGE_BOOKKEEP', 'usage-all', { since: '5.19' });
  for (const n of ['pcim_p2pdma_provider', 'pci_p2pdma_map_type', 'dma_map_resource', 'pci_resource_start']) row(n, 'mmio-export');
  row('dma_buf_phys_vec_to_sgt', 'mmio-export', { since: '6.19' });
  api('dma_buf_free_sgt', [V], { since: '6.19' });
  for (const n of ['ib_umem_dmabuf_get', 'ib_umem_dmabuf_get_pinned', 'ib_umem_dmabuf_get_pinned_with_dma_device',
    'ib_umem_dmabuf_get_pinned_and_lock', 'ib_umem_dmabuf_get_pinned_revocable_and_lock']) row(n, 'import-umem');
  row('ib_umem_dmabuf', 'umem-type');
  for (const n of ['ib_umem_dmabuf_get_pinned', 'ib_umem_dmabuf_get_pinned_with_dma_device', 'dma_buf_pin']) row(n, 'pin');
  row('ib_umem_dmabuf_get_pinned_revocable_and_lock', 'pin-revocable-locked', { since: '7.1' });
  row('ib_umem_dmabuf_revoke_unlock', 'revoke-unlock', { since: '7.1' });
  row('ib_umem_dmabuf_set_revoke_locked', 'set-revoke', { since: '7.1' }, 1);
  for (const n of ['wait_for_completion', 'wait_for_completion_timeout', 'wait_for_completion_interruptible',
    'wait_for_completion_killable', 'wait_for_completion_io', 'wait_event', 'wait_event_timeout', 'wait_event_interruptible',
    'wait_event_killable', 'wait_var_event']) row(n, 'unmap-wait');
  for (const n of ['pci_iounmap', 'pcim_iounmap', 'pci_release_region', 'pci_release_regions', 'pci_release_selected_regions',
    'pcim_iounmap_region', 'pci_disable_device', 'pci_reset_function', 'pci_reset_function_locked', '__pci_reset_function_locked',
    'pci_try_reset_function', 'vfio_device_put_registration', 'iounmap', 'pci_clear_master']) {
    row(n, 'teardown');
  }
  for (const n of ['queue_work', 'schedule_work', 'queue_delayed_work', 'schedule_delayed_work', 'mod_delayed_work',
    'queue_work_on', 'tasklet_schedule']) row(n, 'defer');
  for (const n of ['dma_buf_vmap', 'dma_buf_vmap_unlocked', 'dma_buf_begin_cpu_access', 'dma_buf_end_cpu_access']) row(n, 'exporter-cpu');
  for (const n of ['sg_page', 'sg_virt', 'sg_phys', 'page_address', 'kmap', 'kmap_atomic', 'kmap_local_page', 'sg_copy_to_buffer',
    'sg_copy_from_buffer', 'sg_pcopy_to_buffer', 'sg_pcopy_from_buffer', 'sg_zero_buffer', 'sg_miter_start', 'sg_miter_next']) {
    row(n, 'cpu-entry');
  }
  for (const n of ['for_each_sgtable_sg', 'for_each_sgtable_page', 'for_each_sg_page', 'orig_nents', '__sg_page_iter_start']) row(n, 'cpu-walk');
  for (const n of ['for_each_sgtable_dma_sg', 'for_each_sgtable_dma_page', 'for_each_sg_dma_page', 'sg_dma_address', 'sg_dma_len']) row(n, 'dma-walk');
  for (const n of ['map_dma_buf', 'unmap_dma_buf']) row(n, 'map-op');
  for (const n of ['attach', 'pin']) row(n, 'exporter-op');
  row('invalidate_mappings', 'importer-invalidate', { since: '7.1' });
  row('move_notify', 'importer-invalidate', { since: '5.11', until: '7.1' });
  for (const n of ['release', 'unlocked_ioctl', 'reset_prepare', 'reset_done', 'flr_prepare', 'close_device', 'mmap_free']) row(n, 'user-trigger');
  row('allow_peer2peer', 'importer-p2p');
  row('peer2peer', 'peer2peer');
  row('dma_buf_ops', 'exporter-ops');
  row('dma_buf_attach_ops', 'importer-ops');
}

// issue 14 spec revision: the versions of every identifier of spec sections A and B (2026-12 revision).
// A row the sections above already hold gets its versions set here; a name they lack becomes a vocabulary row.
// `since` is the first release with the identifier (as drivers can use it), `until` the first without it.
function versioned(name: string, since: string | undefined, until?: string, note?: string): void {
  let row = rows.find((r) => r.name === name);
  if (!row) rows.push(row = { name, roles: [V] });
  if (since !== undefined) row.since = since;
  if (until !== undefined) row.until = until;
  if (note !== undefined) row.note = note;
}
// R2: the 7.0 bvec RDMA R/W API is merged API and P2P-unaware by design (no pci_p2pdma_state(), attrs 0): its bvecs are a sink
api('rdma_rw_ctx_init_bvec', [{ role: 'single-map-sink', memory: 3 }]);
for (const [since, names] of Object.entries({
  '4.9': ['dma_map_resource', 'dma_unmap_resource'],
  '4.20': ['pci_p2pdma_add_resource', 'pci_p2pdma_distance', 'pci_p2pdma_distance_many', 'pci_p2pmem_find', 'pci_p2pmem_find_many',
    'pci_alloc_p2pmem', 'pci_free_p2pmem', 'pci_p2pmem_virt_to_bus', 'pci_p2pmem_alloc_sgl', 'pci_p2pmem_free_sgl', 'pci_p2pmem_publish',
    'pci_p2pdma_enable_store', 'pci_p2pdma_enable_show', 'MEMORY_DEVICE_PCI_P2PDMA', 'is_pci_p2pdma_page', 'blk_queue_pci_p2pdma'],
  '5.4': ['PCI_P2PDMA_MAP_UNKNOWN', 'PCI_P2PDMA_MAP_NOT_SUPPORTED', 'PCI_P2PDMA_MAP_BUS_ADDR', 'PCI_P2PDMA_MAP_THRU_HOST_BRIDGE'],
  '5.11': ['ib_uses_virt_dma'],
  '6.0': ['dma_pci_p2pdma_supported', 'ib_dma_pci_p2p_dma_supported', 'sg_dma_mark_bus_address', 'sg_dma_unmark_bus_address',
    'SG_DMA_BUS_ADDRESS'],
  '6.2': ['FOLL_PCI_P2PDMA', 'p2pmem_alloc_mmap', 'p2pdma_page_free'],
  '6.3': ['ITER_ALLOW_P2PDMA'],
  '6.5': ['sg_dma_is_bus_address', 'SG_DMA_SWIOTLB'],
  '6.11': ['BLK_FEAT_PCI_P2PDMA'],
  '6.16': ['dma_iova_state', 'dma_iova_try_alloc', 'dma_iova_link', 'dma_iova_unlink', 'dma_iova_sync', 'dma_iova_destroy', 'dma_iova_free',
    'dma_use_iova', 'dma_iova_size', 'pci_p2pdma_state', '__pci_p2pdma_update_state', 'pci_p2pdma_bus_addr_map', 'PCI_P2PDMA_MAP_NONE',
    'hmm_dma_map_pfn', 'hmm_dma_unmap_pfn', 'HMM_PFN_P2PDMA', 'HMM_PFN_P2PDMA_BUS'],
  '6.17': ['blk_rq_dma_map_iter_start', 'blk_dma_iter', 'blk_rq_dma_map_coalesce', 'blk_rq_dma_unmap'],
  '6.18': ['DMA_ATTR_MMIO', 'dma_map_phys', 'dma_unmap_phys', 'map_phys', 'unmap_phys', 'blk_rq_integrity_dma_map_iter_start'],
  '6.19': ['p2pdma_provider', 'pcim_p2pdma_init', 'pcim_p2pdma_provider', 'dma_buf_phys_vec_to_sgt', 'dma_buf_free_sgt', 'IOD_DATA_P2P',
    'IOD_META_P2P', 'IOD_DATA_MMIO', 'IOD_META_MMIO'],
  '7.0': ['rdma_rw_ctx_init_bvec', 'rdma_rw_ctx_destroy_bvec', 'ib_dma_map_bvec', 'ib_dma_unmap_bvec', 'mmap_get_pfns', 'pgoff_to_mmap_entry',
    'DMA_ATTR_REQUIRE_COHERENT', 'DMA_ATTR_DEBUGGING_IGNORE_CACHELINES'],
  '7.1': ['dma_buf_invalidate_mappings', 'dma_buf_attach_revocable', 'invalidate_mappings', 'ib_umem_dmabuf_get_pinned_and_lock',
    'ib_umem_dmabuf_get_pinned_revocable_and_lock', 'ib_umem_dmabuf_set_revoke_locked', 'ib_umem_dmabuf_revoke_lock',
    'ib_umem_dmabuf_revoke_unlock'],
})) for (const name of names) versioned(name, since);
// Gone: with the first release that lacks them (since where the spec gives it).
versioned('pci_p2pdma_map_sg', '4.20', '6.0', 'no attrs argument; replaced by per-entry handling in dma_map_sg()/dma_map_sgtable()');
versioned('pci_p2pdma_map_sg_attrs', '5.4', '6.0');
versioned('pci_p2pdma_unmap_sg', '5.4', '6.0');
versioned('pci_p2pdma_unmap_sg_attrs', '5.4', '6.0');
versioned('rdma_rw_map_sg', undefined, '6.0', 'static in RDMA rw.c: the first-entry P2P dispatch, dropped with the per-entry dma_map_sgtable()');
versioned('rdma_rw_unmap_sg', undefined, '6.0');
versioned('dma_virt_ops', undefined, '5.11');
versioned('DMA_VIRT_OPS', undefined, '5.11');
versioned('QUEUE_FLAG_PCI_P2PDMA', '4.20', '6.11');
versioned('DMA_F_PCI_P2PDMA_SUPPORTED', '6.0', '6.12', 'only iommu_dma_ops set it; gone with struct dma_map_ops.flags (absent from 6.12, checked)');
versioned('iommu_dma_ops', undefined, '6.12');
versioned('sg_is_dma_bus_address', '6.0', '6.5', 'renamed sg_dma_is_bus_address() (version unsure)');
versioned('pci_p2pdma_map_segment', '6.0', '6.16');
versioned('pci_p2pdma_map_state', '6.0', '6.16');
versioned('REQ_P2PDMA', '6.17', '6.19', 'a bio flag (with REQ_NOMERGE) in 6.17 only; a request flag set by blk-mq-dma for BUS_ADDR in 6.18');
versioned('__REQ_P2PDMA', '6.17', '6.19');
versioned('BIP_P2P_DMA', '6.18', '6.19');
versioned('blk_dma_unmap', '6.18', '6.19');
versioned('blk_rq_integrity_dma_unmap', '6.18', '6.19');
versioned('blk_rq_dma_unmap', '6.17', undefined, '(req, dev, state, len) in 6.17-6.18, reading REQ_P2PDMA; (req, dev, state, len, map) from 6.19');
versioned('blk_rq_dma_map_iter_next', '6.17', undefined, '(req, dma_dev, state, iter) in 6.17-6.19; (req, dma_dev, iter) from 7.0');
versioned('pci_has_p2pmem', '4.20', '6.18', 'static in drivers/pci/p2pdma.c from 6.18: no longer a driver API');
versioned('pci_p2pdma_map_type', '6.19', undefined, 'exported as (provider, dev) in 6.19; before, a static (pgmap, dev) helper inside drivers/pci/p2pdma.c');
versioned('dma_buf_phys_vec', '6.19', '7.0', 'struct dma_buf_phys_vec, replaced by struct phys_vec in 7.0');
versioned('phys_vec', '7.0', undefined, 'struct phys_vec in include/linux/types.h from 7.0 (private to blk-mq-dma before)');
versioned('DMA_ATTR_CPU_CACHE_CLEAN', undefined, '7.0', 'renamed DMA_ATTR_DEBUGGING_IGNORE_CACHELINES before 7.0 was released');
versioned('DMA_ATTR_REQUIRE_COHERENT', '7.0', undefined, 'user memory behind coherent uAPIs only; does not select IOMMU_MMIO (no substitute for DMA_ATTR_MMIO)');
versioned('FOLL_LONGTERM', undefined, undefined, 'with FOLL_PCI_P2PDMA: rejected by GUP, -EINVAL (WARN_ON_ONCE in is_valid_gup_args(), 6.12); -EOPNOTSUPP only in the 6.2 series');
versioned('dma_buf_move_notify', undefined, '7.1');
versioned('move_notify', undefined, '7.1');
versioned('CONFIG_DMABUF_MOVE_NOTIFY', undefined, '7.1');
versioned('ib_umem_dmabuf_unsupported_move_notify', undefined, '7.1');
// end issue 14 spec revision

// issue 14 spec revision: what each release means for review (spec §A), for the review guide's timeline
/** One line per kernel release that changes what is correct (spec section A). */
export const ERA_NOTES: Readonly<Record<string, string>> = {
  '4.20': 'P2PDMA core merged. An SGL is all P2P or all host memory; map it with `pci_p2pdma_map_sg()`, chosen by a first-entry `is_pci_p2pdma_page()` test.',
  '5.4': 'Host-bridge routing (`enum pci_p2pdma_map_type`); `pci_p2pdma_unmap_sg()` must mirror `pci_p2pdma_map_sg()`.',
  '5.11': '`dma_virt_ops` removed; software RDMA devices are `ib_uses_virt_dma()`.',
  '6.0': '`dma_map_sg()`/`dma_map_sgtable()` handle P2P per entry and may return `-EREMOTEIO`; the first-entry idiom and `pci_p2pdma_map_sg()` are gone; gate P2P on `dma_pci_p2pdma_supported()`.',
  '6.2': '`FOLL_PCI_P2PDMA`: GUP returns P2P pages only on request; never with `FOLL_LONGTERM` (`-EINVAL` by 6.12).',
  '6.11': '`BLK_FEAT_PCI_P2PDMA` in the queue limits replaces `QUEUE_FLAG_PCI_P2PDMA`.',
  '6.12': 'dma-iommu is called directly: any custom `dma_map_ops` means not P2P capable; `DMA_F_PCI_P2PDMA_SUPPORTED` is gone.',
  '6.16': 'Two-step IOVA API; phys/bvec mappers switch on `pci_p2pdma_state()` per range (BUS_ADDR -> `pci_p2pdma_bus_addr_map()`).',
  '6.17': 'blk-mq-dma iterators; a bio holds pages of one pgmap only (`REQ_P2PDMA | REQ_NOMERGE` on P2P bios).',
  '6.18': '`DMA_ATTR_MMIO` and `dma_map_phys()`: host-bridge P2P is mapped and unmapped as MMIO. `REQ_P2PDMA` moves to the request; `pci_has_p2pmem()` is static.',
  '6.19': '`struct p2pdma_provider` and the exported `pci_p2pdma_map_type(provider, dev)`; dma-buf MMIO export (`dma_buf_phys_vec_to_sgt()`). `REQ_P2PDMA` is gone: record `iter.p2pdma.map` and pass it to `blk_rq_dma_unmap(..., map)`.',
  '7.0': '`struct phys_vec`; 3-argument `blk_rq_dma_map_iter_next()`; bvec RDMA R/W API (P2P-unaware); `DMA_ATTR_REQUIRE_COHERENT` (user memory only, no substitute for `DMA_ATTR_MMIO`); RDMA uverbs dma-buf exporter.',
  '7.1': 'dma-buf revoke vocabulary (`.invalidate_mappings`, `dma_buf_invalidate_mappings()`, `dma_buf_attach_revocable()`); pinned revocable dma-buf import for RDMA.',
};
// end issue 14 spec revision
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
// issue 14 R18 (api2): the physical address of a folio is the folio's memory (dma_map_phys(dev, folio_to_phys(folio), ...))
api('folio_to_phys', [carrier()]);

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
