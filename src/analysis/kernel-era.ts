/**
 * Which kernel a patch targets, from the user (--kernel-version) or from the identifiers the
 * patch's pre-image uses (spec section A). Versions are numbers: 6.18 is 6018, 4.20 is 4020.
 */

export type Version = number;

export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(text.trim());
  return m ? Number(m[1]) * 1000 + Number(m[2]) : undefined;
}

export function formatVersion(v: Version): string {
  return `${Math.floor(v / 1000)}.${v % 1000}`;
}

export interface Era {
  /** Lowest version the target can be (inclusive). */
  min?: Version;
  /** Version the target is known to be older than (exclusive). */
  below?: Version;
  source: 'option' | 'evidence' | 'default';
  /** The identifiers that told, for the finding text. */
  evidence: string[];
}

/** Identifiers that exist from a version on. */
const INTRODUCED: ReadonlyArray<[string, Version]> = [
  ['is_pci_p2pdma_page', 4020], ['pci_p2pdma_map_sg', 4020], ['pci_p2pdma_map_sg_attrs', 5004],
  ['pci_p2pdma_unmap_sg', 5004], ['pci_p2pdma_unmap_sg_attrs', 5004], ['PCI_P2PDMA_MAP_THRU_HOST_BRIDGE', 5004],
  ['dma_pci_p2pdma_supported', 6000], ['ib_dma_pci_p2p_dma_supported', 6000], ['DMA_F_PCI_P2PDMA_SUPPORTED', 6000],
  ['sg_is_dma_bus_address', 6000], ['sg_dma_mark_bus_address', 6000], ['pci_p2pdma_map_segment', 6000],
  ['SG_DMA_BUS_ADDRESS', 6000], ['FOLL_PCI_P2PDMA', 6002], ['ITER_ALLOW_P2PDMA', 6003], ['sg_dma_is_bus_address', 6005],
  ['BLK_FEAT_PCI_P2PDMA', 6011], ['pci_p2pdma_state', 6016], ['dma_iova_try_alloc', 6016], ['dma_iova_link', 6016],
  ['dma_use_iova', 6016], ['pci_p2pdma_bus_addr_map', 6016], ['blk_rq_dma_map_iter_start', 6017], ['REQ_P2PDMA', 6017],
  ['DMA_ATTR_MMIO', 6018], ['dma_map_phys', 6018], ['dma_unmap_phys', 6018], ['pcim_p2pdma_provider', 6019],
  ['dma_buf_phys_vec_to_sgt', 6019], ['p2pdma_provider', 6019],
];

/** Identifiers that are gone from a version on. */
const REMOVED: ReadonlyArray<[string, Version]> = [
  ['pci_p2pdma_map_sg', 6000], ['pci_p2pdma_map_sg_attrs', 6000], ['pci_p2pdma_unmap_sg', 6000],
  ['pci_p2pdma_unmap_sg_attrs', 6000], ['rdma_rw_map_sg', 6000], ['rdma_rw_unmap_sg', 6000],
  ['dma_virt_ops', 5011], ['DMA_VIRT_OPS', 5011], ['QUEUE_FLAG_PCI_P2PDMA', 6011], ['sg_is_dma_bus_address', 6005],
  ['pci_p2pdma_map_segment', 6016],
];

/**
 * The era a patch targets. `preImage` holds identifiers of removed and context lines (what the
 * tree has), `added` those of added lines (used only when the pre-image says nothing).
 */
export function inferEra(preImage: ReadonlySet<string>, added: ReadonlySet<string>, given?: Version): Era {
  if (given !== undefined) return { min: given, below: given + 1, source: 'option', evidence: [] };
  return fromIdentifiers(preImage) ?? fromIdentifiers(added) ?? { source: 'default', evidence: [] };
}

function fromIdentifiers(ids: ReadonlySet<string>): Era | undefined {
  let min: Version | undefined;
  let below: Version | undefined;
  const evidence: string[] = [];
  for (const [id, v] of INTRODUCED) {
    if (ids.has(id) && (min === undefined || v > min)) { min = v; evidence.push(`${id} (${formatVersion(v)}+)`); }
  }
  if (ids.has('EREMOTEIO') && ids.has('dma_map_sgtable') && (min === undefined || min < 6000)) {
    min = 6000;
    evidence.push('dma_map_sgtable() returning -EREMOTEIO (6.0+)');
  }
  for (const [id, v] of REMOVED) {
    if (ids.has(id) && (below === undefined || v < below)) { below = v; evidence.push(`${id} (before ${formatVersion(v)})`); }
  }
  if (min === undefined && below === undefined) return undefined;
  if (min !== undefined && below !== undefined && min >= below) below = undefined; // conflicting: trust the newer API
  return { min, below, source: 'evidence', evidence };
}

/** True when the target may be at `v` or later (the newest is assumed when nothing tells). */
export function mayBeAtLeast(era: Era, v: Version): boolean {
  return era.below === undefined || era.below > v;
}

/** True when the target is known to be older than `v`. */
export function isBefore(era: Era, v: Version): boolean {
  return era.below !== undefined && era.below <= v;
}

/** The assumption a finding states, e.g. "kernel 6.0+ (dma_pci_p2pdma_supported (6.0+))". */
export function describeEra(era: Era): string {
  const range = era.min !== undefined && era.below !== undefined && era.below === era.min + 1
    ? formatVersion(era.min)
    : [era.min !== undefined ? `${formatVersion(era.min)}+` : '', era.below !== undefined ? `before ${formatVersion(era.below)}` : '']
      .filter(Boolean).join(', ');
  switch (era.source) {
    case 'option': return `kernel ${range} (as given)`;
    case 'evidence': return `kernel ${range} (from ${era.evidence.slice(0, 3).join(', ')})`;
    default: return 'newest kernel (no version evidence in the patch)';
  }
}
