/**
 * Which kernel a patch targets (spec, global trap 4 "Version gate: read the era from the mail
 * first"). Versions are numbers: 6.18 is 6018, 4.20 is 4020. Sources, strongest first:
 *   1. --kernel-version (the user knows);
 *   2. the mail's own base: `base-commit:` resolved in a git tree, "based on v6.8" / "against
 *      nvme-6.11" / "on top of" lines, subject tags (`[PATCH for-6.8]`, `[PATCH v3 nvme-6.11]`, -next);
 *   3. the tree the patch applies to (its Makefile), and the identifiers the patch keeps or removes
 *      (they exist in its base). When a patch applies to the tree and its kept identifiers say the
 *      tree is newer than its Makefile, they are backports (Debian's 6.12.118 carries 7.1 APIs):
 *      the Makefile wins;
 *   4. the Date header, as an upper bound (at most two releases past the newest final release
 *      whose tag existed then);
 *   5. identifiers the patch only uses in added lines, unless the patch or its series defines
 *      them: a patch that introduces an API is not proof that the target already has it.
 * A weaker source only narrows the range the stronger ones left; when it contradicts them it is
 * set aside (and the era says so).
 */

export type Version = number;

export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(text.trim());
  return m ? Number(m[1]) * 1000 + Number(m[2]) : undefined;
}

export function formatVersion(v: Version): string {
  return `${Math.floor(v / 1000)}.${v % 1000}`;
}

/** Where the range came from. 'evidence' is identifiers (kept, removed, or used by added lines). */
export type EraSource = 'option' | 'mail' | 'tree' | 'evidence' | 'date' | 'default';

export interface Era {
  /** Lowest version the target can be (inclusive). */
  min?: Version;
  /** Version the target is known to be older than (exclusive). */
  below?: Version;
  /** The strongest source that set a bound. */
  source: EraSource;
  /** What told, for the finding text ("Based on v6.8" in the mail, DMA_ATTR_MMIO (6.18+) in context). */
  evidence: string[];
  /**
   * How sure each bound is (spec R19 row): sure from --kernel-version, the mail's stated base, a
   * tree the patch applies to, kept or removed identifiers, and identifiers a standalone patch uses
   * without defining them; not sure from the Date, a subject tag, or uses inside a series.
   */
  minSure?: boolean;
  belowSure?: boolean;
  /** The upper bound comes from identifiers the patch's added lines use (R19 must not read its own subject as the era). */
  belowFromUses?: boolean;
  /** The lower bound comes from identifiers the added lines use (a backported API in a stable tree proves no newer era). */
  minFromUses?: boolean;
}

/**
 * Mainline releases and the day each was tagged (Linus' release announcements; from 6.18 on the
 * spec's section A table, which gives the day by which the tag existed). Used only to bound an era
 * from above, so an early date errs on the safe side.
 */
const RELEASES: ReadonlyArray<[Version, string]> = [
  [4014, '2017-11-12'], [4015, '2018-01-28'], [4016, '2018-04-01'], [4017, '2018-06-03'], [4018, '2018-08-12'],
  [4019, '2018-10-22'], [4020, '2018-12-23'], [5000, '2019-03-03'], [5001, '2019-05-05'], [5002, '2019-07-07'],
  [5003, '2019-09-15'], [5004, '2019-11-24'], [5005, '2020-01-26'], [5006, '2020-03-29'], [5007, '2020-05-31'],
  [5008, '2020-08-02'], [5009, '2020-10-11'], [5010, '2020-12-13'], [5011, '2021-02-14'], [5012, '2021-04-25'],
  [5013, '2021-06-27'], [5014, '2021-08-29'], [5015, '2021-10-31'], [5016, '2022-01-09'], [5017, '2022-03-20'],
  [5018, '2022-05-22'], [5019, '2022-07-31'], [6000, '2022-10-02'], [6001, '2022-12-11'], [6002, '2023-02-19'],
  [6003, '2023-04-23'], [6004, '2023-06-25'], [6005, '2023-08-27'], [6006, '2023-10-30'], [6007, '2024-01-07'],
  [6008, '2024-03-10'], [6009, '2024-05-12'], [6010, '2024-07-14'], [6011, '2024-09-15'], [6012, '2024-11-17'],
  [6013, '2025-01-19'], [6014, '2025-03-24'], [6015, '2025-05-25'], [6016, '2025-07-27'], [6017, '2025-09-28'],
  [6018, '2025-11-30'], [6019, '2026-02-08'], [7000, '2026-04-12'], [7001, '2026-06-14'],
];
const DAY = 86_400_000;
/** Beyond the table, a release at most every eight weeks (they come every nine or ten). */
const FASTEST_CYCLE = 56 * DAY;

/** The release after `v` (6.19 → 7.0, 5.19 → 6.0, 4.20 → 5.0). */
export function nextVersion(v: Version): Version {
  const i = RELEASES.findIndex(([r]) => r === v);
  if (i >= 0 && i + 1 < RELEASES.length) return RELEASES[i + 1]![0];
  const minor = v % 1000;
  return minor >= 19 ? (Math.floor(v / 1000) + 1) * 1000 : v + 1;
}

/** The newest final release whose tag may have existed at `date` (a week of slack for time zones and mirrors). */
export function newestReleaseAt(date: Date): Version | undefined {
  const t = date.getTime() + 7 * DAY;
  let newest: Version | undefined;
  for (const [v, day] of RELEASES) if (Date.parse(`${day}T00:00:00Z`) <= t) newest = v;
  const [lastVersion, lastDay] = RELEASES.at(-1)!;
  if (newest === lastVersion) {
    for (let at = Date.parse(`${lastDay}T00:00:00Z`) + FASTEST_CYCLE; at <= t; at += FASTEST_CYCLE) newest = nextVersion(newest);
  }
  return newest;
}

/** The newest kernel a mail of `date` can target: the next merge window, and one more for -next trees late in a cycle. */
export function dateBound(date: Date): Version | undefined {
  const newest = newestReleaseAt(date);
  return newest === undefined ? undefined : nextVersion(nextVersion(newest));
}

/** Identifiers that exist from a version on. */
export const INTRODUCED: ReadonlyArray<[string, Version]> = [
  ['is_pci_p2pdma_page', 4020], ['pci_p2pdma_map_sg', 4020], ['pci_p2pdma_map_sg_attrs', 5004],
  ['pci_p2pdma_unmap_sg', 5004], ['pci_p2pdma_unmap_sg_attrs', 5004], ['PCI_P2PDMA_MAP_THRU_HOST_BRIDGE', 5004],
  ['dma_pci_p2pdma_supported', 6000], ['ib_dma_pci_p2p_dma_supported', 6000], ['DMA_F_PCI_P2PDMA_SUPPORTED', 6000],
  ['sg_is_dma_bus_address', 6000], ['sg_dma_mark_bus_address', 6000], ['pci_p2pdma_map_segment', 6000],
  ['SG_DMA_BUS_ADDRESS', 6000], ['FOLL_PCI_P2PDMA', 6002], ['ITER_ALLOW_P2PDMA', 6003], ['sg_dma_is_bus_address', 6005],
  ['BLK_FEAT_PCI_P2PDMA', 6011], ['pci_p2pdma_state', 6016], ['dma_iova_try_alloc', 6016], ['dma_iova_link', 6016],
  ['dma_use_iova', 6016], ['pci_p2pdma_bus_addr_map', 6016], ['blk_rq_dma_map_iter_start', 6017], ['REQ_P2PDMA', 6017],
  ['DMA_ATTR_MMIO', 6018], ['dma_map_phys', 6018], ['dma_unmap_phys', 6018], ['pcim_p2pdma_provider', 6019],
  ['dma_buf_phys_vec_to_sgt', 6019], ['p2pdma_provider', 6019],
  ['blk_rq_dma_map_iter_next', 6017], ['blk_rq_dma_unmap', 6017], ['blk_dma_iter', 6017], ['blk_rq_dma_map_coalesce', 6017],
  ['blk_dma_unmap', 6018], ['blk_rq_integrity_dma_unmap', 6018], ['BIP_P2P_DMA', 6018],
  ['pcim_p2pdma_init', 6019], ['dma_buf_free_sgt', 6019], ['dma_buf_phys_vec', 6019],
  ['rdma_rw_ctx_init_bvec', 7000], ['ib_dma_map_bvec', 7000], ['DMA_ATTR_REQUIRE_COHERENT', 7000], ['DMA_ATTR_DEBUGGING_IGNORE_CACHELINES', 7000],
  ['dma_buf_invalidate_mappings', 7001], ['dma_buf_attach_revocable', 7001], ['invalidate_mappings', 7001],
  ['ib_umem_dmabuf_get_pinned_revocable_and_lock', 7001],
];

/** Identifiers that are gone from a version on. */
export const REMOVED: ReadonlyArray<[string, Version]> = [
  ['pci_p2pdma_map_sg', 6000], ['pci_p2pdma_map_sg_attrs', 6000], ['pci_p2pdma_unmap_sg', 6000],
  ['pci_p2pdma_unmap_sg_attrs', 6000], ['rdma_rw_map_sg', 6000], ['rdma_rw_unmap_sg', 6000],
  ['dma_virt_ops', 5011], ['DMA_VIRT_OPS', 5011], ['QUEUE_FLAG_PCI_P2PDMA', 6011], ['sg_is_dma_bus_address', 6005],
  ['pci_p2pdma_map_segment', 6016], ['REQ_P2PDMA', 6019], ['BIP_P2P_DMA', 6019], ['blk_dma_unmap', 6019],
  ['blk_rq_integrity_dma_unmap', 6019], ['dma_buf_phys_vec', 7000], ['dma_buf_move_notify', 7001],
  ['CONFIG_DMABUF_MOVE_NOTIFY', 7001], ['move_notify', 7001],
];

/** A range one source gives, with the words that name the source. */
export interface EraClaim {
  min?: Version;
  below?: Version;
  source: EraSource;
  /** e.g. "'Based on v6.8' in the mail", "the Date header (2020-02-20)". */
  evidence: string[];
  sure: boolean;
  /** The claim reads identifiers of added lines. */
  uses?: boolean;
}

/** Everything known about a patch's target, for {@link resolveEra}. */
export interface EraFacts {
  /** --kernel-version. */
  given?: Version;
  /** What the mail says of its base (base-commit, based-on lines, subject tags), strongest first. */
  mail?: EraClaim[];
  /** The tree's Makefile version, when the patch applies to that tree. */
  tree?: { version: Version; label: string };
  /** Identifiers of removed and context lines. */
  preImage?: ReadonlySet<string>;
  /** Identifiers of added lines. */
  added?: ReadonlySet<string>;
  /** Identifiers the patch or its series defines (added #define, function, struct, enum member). */
  defined?: ReadonlySet<string>;
  /** The patch's own added uses prove its target has them (a standalone patch, or a whole series read). */
  addedUsesSure?: boolean;
  /** The Date header. */
  date?: Date;
}

/** The target's range from all the facts; see the module comment for the order. */
export function resolveEra(facts: EraFacts): Era {
  if (facts.given !== undefined) {
    return { min: facts.given, below: nextVersion(facts.given), source: 'option', evidence: [], minSure: true, belowSure: true };
  }
  const claims: EraClaim[] = [...(facts.mail ?? [])];
  const bound = facts.date && !Number.isNaN(facts.date.getTime()) ? dateBound(facts.date) : undefined;
  const dated: EraClaim | undefined = bound === undefined ? undefined : {
    below: nextVersion(bound), source: 'date', sure: false,
    evidence: [`the Date header (${facts.date!.toISOString().slice(0, 10)}: ${formatVersion(bound)} at the newest)`],
  };
  // The tree ranks below the Date (trap 4): an old mail that still applies to a new tree keeps its era.
  if (facts.tree && (bound === undefined || facts.tree.version <= bound)) {
    claims.push({ min: facts.tree.version, below: nextVersion(facts.tree.version), source: 'tree', sure: true,
      evidence: [`the Makefile of the ${facts.tree.label}, which the patch applies to`] });
  }
  // After the tree: kept identifiers newer than its Makefile are backports there, not a newer release.
  const kept = fromIdentifiers(facts.preImage ?? new Set(), 'kept or removed');
  // an old name kept next to a newer one is a backport (or a series mid-way): the Date may overrule it
  if (kept && !kept.mixed) claims.push({ ...kept, sure: true });
  if (dated) claims.push(dated);
  if (kept?.mixed) claims.push({ ...kept, sure: false });
  const defined = facts.defined ?? new Set<string>();
  const usedOnly = new Set([...(facts.added ?? [])].filter((id) => !defined.has(id)));
  const uses = fromIdentifiers(usedOnly, 'used by added lines');
  if (uses) claims.push({ ...uses, sure: !!facts.addedUsesSure, uses: true });
  return combine(claims);
}

/** Narrows by each claim in turn; a claim that contradicts what is already known is set aside. */
function combine(claims: readonly EraClaim[]): Era {
  const era: Era = { source: 'default', evidence: [] };
  const setAside: string[] = [];
  for (const claim of claims) {
    const min = claim.min !== undefined && (era.min === undefined || claim.min > era.min) ? claim.min : era.min;
    const below = claim.below !== undefined && (era.below === undefined || claim.below < era.below) ? claim.below : era.below;
    if (min !== undefined && below !== undefined && min >= below) {
      setAside.push(...claim.evidence.map((e) => `${e}, which contradicts it`));
      continue;
    }
    const narrows = min !== era.min || below !== era.below;
    if (!narrows) continue;
    if (min !== era.min) {
      era.minSure = claim.sure;
      if (claim.uses) era.minFromUses = true;
      else delete era.minFromUses;
    }
    if (below !== era.below) {
      era.belowSure = claim.sure;
      if (claim.uses) era.belowFromUses = true;
      else delete era.belowFromUses;
    }
    era.min = min;
    era.below = below;
    if (era.source === 'default') era.source = claim.source;
    era.evidence.push(...claim.evidence);
  }
  if (era.source !== 'default' && setAside.length) era.evidence.push(`not ${setAside.join('; not ')}`);
  return era;
}

/**
 * The era a patch targets from identifiers only. `preImage` holds identifiers of removed and
 * context lines (what the tree has), `added` those of added lines (used only when the pre-image
 * says nothing).
 */
export function inferEra(preImage: ReadonlySet<string>, added: ReadonlySet<string>, given?: Version): Era {
  return resolveEra({ given, preImage, added, addedUsesSure: true });
}

function fromIdentifiers(ids: ReadonlySet<string>, how: string): (Omit<EraClaim, 'sure'> & { mixed?: boolean }) | undefined {
  let min: [string, Version] | undefined;
  let below: [string, Version] | undefined;
  for (const [id, v] of INTRODUCED) if (ids.has(id) && (min === undefined || v > min[1])) min = [`${id}`, v];
  if (ids.has('EREMOTEIO') && ids.has('dma_map_sgtable') && (min === undefined || min[1] < 6000)) min = ['dma_map_sgtable() returning -EREMOTEIO', 6000];
  for (const [id, v] of REMOVED) if (ids.has(id) && (below === undefined || v < below[1])) below = [id, v];
  if (min === undefined && below === undefined) return undefined;
  const mixed = !!(min && below && min[1] >= below[1]);
  const gone = mixed ? below : undefined;
  if (mixed) below = undefined; // conflicting: trust the newer API, as a weaker claim
  const told = gone ? [`${min![0]} (${formatVersion(min![1])}+) next to ${gone[0]} (before ${formatVersion(gone[1])})`] : min && below && min[0] === below[0]
    ? [`${min[0]} (${formatVersion(min[1])}+, before ${formatVersion(below[1])})`]
    : [...(min ? [`${min[0]} (${formatVersion(min[1])}+)`] : []), ...(below ? [`${below[0]} (before ${formatVersion(below[1])})`] : [])];
  return { min: min?.[1], below: below?.[1], source: 'evidence', evidence: [`${told.join(', ')} ${how}`], ...(mixed ? { mixed } : {}) };
}

/** True when the target may be at `v` or later (the newest is assumed when nothing tells). */
export function mayBeAtLeast(era: Era, v: Version): boolean {
  return era.below === undefined || era.below > v;
}

/** True when the target is known to be older than `v`. */
export function isBefore(era: Era, v: Version): boolean {
  return era.below !== undefined && era.below <= v;
}

/** True when a sure source places the target at `v` or later (R7/R19 errors). */
export function surelyAtLeast(era: Era, v: Version): boolean {
  return era.min !== undefined && era.min >= v && !!era.minSure;
}

/** True when a sure source places the target before `v`. */
export function surelyBefore(era: Era, v: Version): boolean {
  return isBefore(era, v) && !!era.belowSure;
}

/** The assumption a finding states, e.g. "kernel 6.8 (from 'Based on v6.8' in the mail)". */
export function describeEra(era: Era): string {
  const range = era.min !== undefined && era.below !== undefined && era.below === nextVersion(era.min)
    ? formatVersion(era.min)
    : [era.min !== undefined ? `${formatVersion(era.min)}+` : '', era.below !== undefined ? `before ${formatVersion(era.below)}` : '']
      .filter(Boolean).join(', ');
  switch (era.source) {
    case 'option': return `kernel ${range} (as given)`;
    case 'default': return 'newest kernel (no version evidence in the patch)';
    default: return `kernel ${range} (from ${era.evidence.join('; ')})`;
  }
}
