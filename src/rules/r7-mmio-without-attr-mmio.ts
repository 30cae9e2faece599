import { matchesAny } from '../analysis/core-files.js';
import { firstAdded } from '../analysis/file-analysis.js';
import type { Assignment, Call, FunctionFacts, Span } from '../analysis/facts.js';
import { describeEra, isBefore, mayBeAtLeast, type Era } from '../analysis/kernel-era.js';
import {
  MMIO_ATTR, THRU_HOST_BRIDGE, assignmentsTo, attrsOf, conditionText, counterparts, droppedMmio, holdsP2PState, mapTypeArm, mappingApi,
  memoryOf, notMmioPlace, p2pFlagGuard, passesAttr, preImageOf, reachedFromArm, setsBit, stateWords, subjectOf, valueHolds,
} from '../analysis/map-pairing.js';
import type { Rule, RuleContext, RuleReport, Severity } from './rule.js';

/** The calls of the 6.16+ IOVA API and the 6.18+ phys API that take DMA_ATTR_MMIO. */
const MMIO_CAPABLE = new Set(['dma_map_phys', 'dma_iova_link', 'dma_unmap_phys', 'dma_iova_destroy', 'dma_iova_unlink']);
const SKIP_SYNC = 'DMA_ATTR_SKIP_CPU_SYNC';
// issue 14 spec revision (R7): DMA_ATTR_REQUIRE_COHERENT (7.0) is no substitute for DMA_ATTR_MMIO either
const REQUIRE_COHERENT = 'DMA_ATTR_REQUIRE_COHERENT';
/** Attributes used in place of DMA_ATTR_MMIO: they stop cache maintenance or bouncing, but never select IOMMU_MMIO. */
const SUBSTITUTES = [SKIP_SYNC, REQUIRE_COHERENT];
/** The DMA-API implementations pass attrs through on behalf of their callers ("the core iommu_dma_*"). */
const IMPLEMENTATIONS = [/(^|\/)kernel\/dma\//, /(^|\/)drivers\/iommu\//, /(^|\/)include\/linux\/dma-(mapping|map-ops)\.h$/];

/** Why a call's memory is MMIO; `certain` when the code's own map-type decision says so. */
interface Evidence {
  says: string;
  certain: boolean;
  span?: Span;
}

/**
 * The dma-buf MMIO range type (6.19). Its 7.0 successor, struct phys_vec, is the block layer's
 * range of any memory too (blk-mq-dma), so that type alone says nothing about MMIO.
 */
const PHYS_VEC_TYPES: ReadonlySet<string> = new Set(['dma_buf_phys_vec']);

export const r7: Rule = {
  meta: {
    id: 'R7',
    slug: 'p2p-mmio-without-attr-mmio',
    name: 'Host-bridge P2P mapped as ordinary memory (6.18+)',
    defaultSeverity: 'warning',
    versions: '6.18+. Before 6.18 the attribute does not exist (6.16-6.17 trees, and patches that introduce the IOVA/HMM/P2P-state APIs): at most one info per defect, at the THRU_HOST_BRIDGE decision or marker line. 7.0+: attrs are a bitmask (attrs = DMA_ATTR_REQUIRE_COHERENT; ... attrs |= DMA_ATTR_MMIO), read on each path',
    summary: 'dma_map_phys/dma_iova_link (or their unmaps) handle MMIO from a THRU_HOST_BRIDGE arm or a PCI BAR without DMA_ATTR_MMIO, or DMA_ATTR_SKIP_CPU_SYNC or DMA_ATTR_REQUIRE_COHERENT stands in for it.',
    why: 'Without DMA_ATTR_MMIO, dma-direct and dma-iommu do CPU cache maintenance on MMIO and map it IOMMU_CACHE rather than IOMMU_MMIO, and swiotlb may bounce it (Robin Murphy: it would "hilariously crash under swiotlb=force"). DMA_ATTR_SKIP_CPU_SYNC is not a substitute, and neither is DMA_ATTR_REQUIRE_COHERENT (7.0): both stop cache maintenance or bouncing, but neither selects IOMMU_MMIO. Jason: dma_map_resource() and DMA_ATTR_MMIO "are intended to be the same thing".',
    firesWhen: [
      'dma_map_phys, dma_iova_link, dma_unmap_phys, dma_iova_destroy or dma_iova_unlink is called in a THRU_HOST_BRIDGE branch, or on a phys derived from pci_resource_start/phys_vec.paddr/pcim_p2pdma_provider, with attrs lacking DMA_ATTR_MMIO on that path (attrs & ~DMA_ATTR_MMIO lacks it)',
      'DMA_ATTR_SKIP_CPU_SYNC or DMA_ATTR_REQUIRE_COHERENT is used as the P2P/MMIO marker',
      'before 6.18 (including a patch that introduces the IOVA/HMM APIs): one info per function, at the marker line or the first call, with the link/unlink/unmap calls as related locations',
    ],
    mustNotFire: [
      'BUS_ADDR/NONE branches',
      'dma_map_resource (implicitly MMIO)',
      'hmm_dma_map_pfn after "mm/hmm: properly take MMIO path", including the 7.0 form that starts from DMA_ATTR_REQUIRE_COHERENT and ORs in DMA_ATTR_MMIO',
      'the core iommu_dma_*',
      'dma_buf_phys_vec_to_sgt() (it passes DMA_ATTR_MMIO)',
      'before 6.18, a call that passes no attribute at all (nothing better exists), and never a warning or an error',
    ],
    fix: 'MMIO (PCI BAR) must be mapped with DMA_ATTR_MMIO (6.18+), and unmapped with it too. DMA_ATTR_SKIP_CPU_SYNC and DMA_ATTR_REQUIRE_COHERENT do not prevent IOMMU_CACHE mappings.',
    references: [
      { messageId: '8f912671-f1d9-4f73-9c1d-e39938bfc09f@arm.com', title: 'Robin Murphy on "[PATCH 10/10] vfio/pci: Add dma-buf export support for MMIO regions"' },
      { messageId: '20250806173132.GA184255@nvidia.com', title: 'Jason Gunthorpe on "dma-mapping: introduce new DMA attribute to indicate MMIO memory"' },
      { messageId: '79cf36301cc05d6dd1c88e9c3812ac5c3f57e32b.1754292567.git.leon@kernel.org', title: '[PATCH v1 13/16] mm/hmm: properly take MMIO path' },
      { messageId: '998251caf3f9d1a3f6f8205f1f494c707fb4d8fa.1757423202.git.leonro@nvidia.com', title: '[PATCH v6 13/16] mm/hmm: properly take MMIO path (SKIP_CPU_SYNC -> MMIO)' },
      { messageId: '20260316-dma-debug-overlap-v3-8-1dde90a7f08b@nvidia.com', title: '[PATCH v3 8/8] mm/hmm: Indicate that HMM requires DMA coherency' },
    ],
    examples: {
      fires: "switch (pci_p2pdma_state(&p2p, dev, page)) {\ncase PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:\n\taddr = dma_map_phys(dev, page_to_phys(page), len, dir, DMA_ATTR_SKIP_CPU_SYNC);\n\tbreak;\ncase PCI_P2PDMA_MAP_BUS_ADDR:\n\taddr = pci_p2pdma_bus_addr_map(&p2p, page_to_phys(page));\n\tbreak;\ndefault:\n\treturn -EREMOTEIO;\n}",
      quiet: "switch (pci_p2pdma_state(&p2p, dev, page)) {\ncase PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:\n\taddr = dma_map_phys(dev, page_to_phys(page), len, dir, DMA_ATTR_MMIO);\n\tbreak;\ncase PCI_P2PDMA_MAP_BUS_ADDR:\n\taddr = pci_p2pdma_bus_addr_map(&p2p, page_to_phys(page));\n\tbreak;\ndefault:\n\treturn -EREMOTEIO;\n}",
    },
    triggers: [...MMIO_CAPABLE, MMIO_ATTR, SKIP_SYNC, THRU_HOST_BRIDGE],
    checksCoreFiles: true,
  },

  check(context) {
    if (matchesAny(context.file.path, IMPLEMENTATIONS) || isBefore(context.era, 6016)) return [];
    return context.functions.flatMap((fn) => {
      const markers = skipSyncMarkers(context, fn);
      const reports = [...markers, ...unmarkedMappings(context, fn)];
      return mayBeAtLeast(context.era, 6018) ? reports : oneNoteBefore618(reports, markers.length);
    });
  },
};

function unmarkedMappings(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  return fn.calls.flatMap((call) => {
    const info = mappingApi(call);
    if (!info || ['list', 'p2p-list', 'resource'].includes(info.family) || !firstAdded(call.span)) return [];
    if (passesAttr(fn, call, MMIO_ATTR) !== 'no' || notMmioPlace(call.guards, stateWords(context.file))) return [];
    const evidence = mmioEvidence(context, fn, call, true);
    if (!evidence) return [];
    const attrs = attrsOf(call);
    const substitute = attrs ? SUBSTITUTES.find((a) => valueHolds(fn, attrs, a) === 'yes') : undefined;
    const skipSync = !!substitute;
    const before618 = !mayBeAtLeast(context.era, 6018);
    if (before618 && !skipSync) return [];
    const what = (info.role === 'map' ? memoryOf(call) : subjectOf(call))?.text ?? 'its memory';
    return [{
      span: call.span,
      function: fn.name,
      severity: severity(context.era, evidence.certain),
      era: describeEra(context.era),
      message: `${call.name}() ${info.role === 'map' ? 'maps' : 'unmaps'} ${what} without DMA_ATTR_MMIO ` +
        `(${attrs ? `attrs: ${attrs.text}` : 'this form takes no attrs'}), although it is MMIO: ${evidence.says}. ` +
        (before618
          ? `Before 6.18 this path has no MMIO attribute, and ${substitute} does not make the DMA layer treat the BAR as MMIO.`
          : 'The DMA layer then treats the BAR as RAM (CPU cache maintenance, IOMMU_CACHE instead of IOMMU_MMIO, swiotlb bouncing)' +
            (substitute ? `; ${substitute} is no substitute.` : '.')),
      related: evidence.span ? [{ span: evidence.span, message: `MMIO evidence: ${evidence.says}` }] : [],
    }];
  });
}

/** Error only when the code decides the memory is MMIO and the target is known to have DMA_ATTR_MMIO. */
function severity(era: Era, certain: boolean): Severity {
  if (!mayBeAtLeast(era, 6018)) return 'info';
  return certain && era.min !== undefined && era.min >= 6018 ? 'error' : 'warning';
}

/** Why the memory of `call` is MMIO, strongest reason first. */
function mmioEvidence(context: RuleContext, fn: FunctionFacts, call: Call, viaCounterparts: boolean): Evidence | undefined {
  const info = mappingApi(call)!;
  const removed = info.role === 'map' || holdsP2PState(fn, stateWords(context.file)) ? dropped(context, fn, call) : undefined;
  if (!MMIO_CAPABLE.has(call.name)) return removed;
  const arm = mapTypeArm(call.guards, THRU_HOST_BRIDGE);
  if (arm) return { says: 'it sits in the PCI_P2PDMA_MAP_THRU_HOST_BRIDGE arm', certain: true, span: arm.span };
  const reached = reachedFromArm(fn, call, THRU_HOST_BRIDGE);
  if (reached) return { says: `the THRU_HOST_BRIDGE arm of switch (${conditionText(reached.subject)}) falls through to it`, certain: true, span: reached.span };
  if (removed) return removed;
  const flag = p2pFlagGuard(call.guards, stateWords(context.file));
  if (flag) return { says: `it runs under the P2P test (${conditionText(flag.cond)})`, certain: false, span: flag.span };
  if (info.role === 'map') return barMemory(context, fn, call);
  return viaCounterparts ? mirroredMmio(context, fn, call) : undefined;
}

/** The removed lines passed DMA_ATTR_MMIO to this call (the split with R6: see mapStateDropped there). */
function dropped(context: RuleContext, fn: FunctionFacts, call: Call): Evidence | undefined {
  const twin = droppedMmio(context.file, fn, call);
  return twin ? { says: `the removed ${twin.call.name}() passed DMA_ATTR_MMIO here`, certain: true, span: twin.call.span } : undefined;
}

/** A phys from a BAR: pci_resource_start() and the like, a dma-buf phys_vec, or a provider's range. */
function barMemory(context: RuleContext, fn: FunctionFacts, call: Call): Evidence | undefined {
  const memory = memoryOf(call);
  if (!memory) return undefined;
  const taint = context.file.taintOf(fn).of(memory);
  if (taint?.origin === 'bar') return { says: `${memory.text} comes from ${taint.via} (a PCI BAR)`, certain: false, span: taint.span };
  if (memory.paths.some((p) => isPhysVecRange(fn, p))) {
    return { says: `${memory.text} is a dma-buf phys_vec range (a PCI BAR)`, certain: false };
  }
  const busMap = fn.calls.find((c) => c.name === 'pci_p2pdma_bus_addr_map' && c.args[1]?.text === memory.text);
  if (busMap) return { says: `${memory.text} also goes to pci_p2pdma_bus_addr_map() (P2P provider memory)`, certain: false, span: busMap.span };
  return undefined;
}

/** An unmap whose every map counterpart in the file maps MMIO without the attribute too. */
function mirroredMmio(context: RuleContext, fn: FunctionFacts, unmap: Call): Evidence | undefined {
  const maps = counterparts(context.functions, fn, unmap);
  if (maps.length === 0) return undefined;
  const evidence = maps.map((m) => (passesAttr(m.fn, m.call, MMIO_ATTR) === 'yes' ? undefined : mmioEvidence(context, m.fn, m.call, false)));
  if (evidence.some((e) => !e)) return undefined;
  const first = maps[0]!.call;
  return { says: `it undoes ${first.name}() of MMIO (${evidence[0]!.says})`, certain: false, span: first.span };
}

function skipSyncMarkers(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  return fn.assignments.flatMap((a) => {
    const marker = SUBSTITUTES.find((m) => setsBit(a.rhs, m));
    if (!marker || a.op === '&=' || a.rhs.identifiers.includes(MMIO_ATTR) || !firstAdded(a.span)) return [];
    const holdsMmio = [...assignmentsTo(fn, a.lhs), ...a.guards.map((g) => g.cond)].some((v) => v.identifiers.includes(MMIO_ATTR));
    if (holdsMmio) return [];
    const where = markerPlace(context, fn, a);
    if (!where) return [];
    const before618 = !mayBeAtLeast(context.era, 6018);
    return [{
      span: a.span,
      function: fn.name,
      severity: severity(context.era, true),
      era: describeEra(context.era),
      message: `${a.lhs} ${a.op} ${a.rhs.text} uses ${marker} as the P2P/MMIO marker (${where}). ` +
        (before618
          ? 'Before 6.18 there is no MMIO attribute, and skipping CPU syncs does not keep the BAR out of IOMMU_CACHE mappings or swiotlb; ' +
            "6.18 added DMA_ATTR_MMIO for this ('mm/hmm: properly take MMIO path')."
          : 'It is no substitute for DMA_ATTR_MMIO: the BAR is still mapped IOMMU_CACHE' + (marker === SKIP_SYNC ? ' and may be bounced by swiotlb.' : '.')),
    }];
  });
}

// issue 14 spec revision (R7 before 6.18: at most one info per defect, at the marker or decision line)
/**
 * Before 6.18 the attribute does not exist: the function's reports are one design note, at the
 * marker line when there is one (markers come first), else at the first call; the rest are related.
 */
function oneNoteBefore618(reports: RuleReport[], markers: number): RuleReport[] {
  if (reports.length <= 1) return reports;
  const [first, ...rest] = reports;
  return [{
    ...first!,
    severity: 'info',
    related: [
      ...(first!.related ?? []),
      ...rest.map((r, i) => ({ span: r.span, message: i + 1 < markers ? 'marker' : role(r.message) })),
    ],
  }];
}
// end issue 14 spec revision

/** The role of a related call, from the name its report starts with. */
function role(message: string): string {
  const name = /^(\w+)\(/.exec(message)?.[1] ?? '';
  return /unlink/.test(name) ? 'unlink' : /link/.test(name) ? 'link' : /unmap|destroy/.test(name) ? 'unmap' : 'map';
}

function markerPlace(context: RuleContext, fn: FunctionFacts, a: Assignment): string | undefined {
  if (mapTypeArm(a.guards, THRU_HOST_BRIDGE)) return 'in the PCI_P2PDMA_MAP_THRU_HOST_BRIDGE arm';
  const flag = p2pFlagGuard(a.guards, stateWords(context.file));
  if (flag) return `under the P2P test (${conditionText(flag.cond)})`;
  const replaced = preImageOf(context.file, fn).some((pre) =>
    pre.assignments.some((r) => r.lhs === a.lhs && r.rhs.identifiers.includes(MMIO_ATTR) && r.span.lines.some((l) => l.kind === '-')));
  return replaced ? 'the removed lines set DMA_ATTR_MMIO here' : undefined;
}

/**
 * `v->paddr` (or `v[i].paddr`) of a variable declared as a dma-buf MMIO range (`struct
 * dma_buf_phys_vec`): the type says what it is, not the variable's name.
 */
function isPhysVecRange(fn: FunctionFacts, path: string): boolean {
  const [base, ...rest] = path.split('.');
  if (rest.length !== 1 || rest[0] !== 'paddr') return false;
  const name = base!.replace(/\[\]$/, '');
  const declared = [...fn.params, ...(fn.locals ?? [])].find((v) => v.name === name);
  const struct = /\bstruct\s+(\w+)/.exec(declared?.type ?? '')?.[1];
  return !!struct && PHYS_VEC_TYPES.has(struct);
}
