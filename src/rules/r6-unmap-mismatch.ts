import { matchesAny } from '../analysis/core-files.js';
import { firstAdded } from '../analysis/file-analysis.js';
import type { Call, Expr, FunctionFacts, Span } from '../analysis/facts.js';
import { provesNotP2P, provesP2P } from '../analysis/guards.js';
import { describeEra, mayBeAtLeast } from '../analysis/kernel-era.js';
import {
  BUS_ADDR, BUS_ADDRESS_TESTS, MMIO_ATTR, busAddressTest, conditionText, counterparts, droppedMmio, exclusive, holdsP2PState, labelAbove, mapTypeArm,
  mappingApi, notMmioPlace, passesAttr, position, stateWords, subjectKey, subjectOf, type Family, type MappingApi,
} from '../analysis/map-pairing.js';
import { MAP_TYPE_VALUES } from '../analysis/p2p-api.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

/** Unmaps of one DMA address or IOVA range (the families a bus address must never reach). */
const ADDRESS_FAMILIES: ReadonlySet<Family> = new Set(['phys', 'page', 'single', 'iova', 'resource', 'iommu']);
/** The P2P-aware unmaps that do not dispatch by themselves (rdma_rw_unmap_sg does). */
const P2P_ONLY_UNMAPS = new Set(['pci_p2pdma_unmap_sg', 'pci_p2pdma_unmap_sg_attrs']);
/** The DMA-API implementations walk bus-address entries themselves. */
const IMPLEMENTATIONS = [/(^|\/)kernel\/dma\//, /(^|\/)drivers\/iommu\//, /(^|\/)arch\//];

export const r6: Rule = {
  meta: {
    id: 'R6',
    slug: 'p2p-unmap-mismatch',
    name: 'Unmap does not mirror map',
    defaultSeverity: 'warning',
    versions: '5.4-5.19: pci_p2pdma_map_sg <-> pci_p2pdma_unmap_sg; 6.0+: dma_unmap_sgtable handles it; 6.17-6.18: blk_rq_dma_unmap(req, dev, state, len) reads REQ_P2PDMA (6.18 adds blk_rq_integrity_dma_unmap() for metadata, reading BIP_P2P_DMA); 6.19+: only blk_rq_dma_unmap(req, dev, state, len, map) with the map type recorded from iter.p2pdma.map; 6.18+: dma_unmap_phys(..., attrs) with DMA_ATTR_MMIO',
    summary: 'An unmap does not use the mechanism, attrs or map type of the map it undoes, or unmaps a bus address that was never mapped.',
    why: 'A bus-address mapping was never mapped, so unmapping it through the IOMMU or swiotlb corrupts state. A host-bridge P2P mapping must be unmapped. An MMIO mapping must be unmapped with the same attrs or map type. Error paths are where this is usually forgotten.',
    firesWhen: [
      'a function maps with pci_p2pdma_map_sg* and unmaps with dma_unmap_sg/ib_dma_unmap_sg on any path (error labels included), or the reverse',
      'the map side adds DMA_ATTR_MMIO but the matching unmap (dma_unmap_phys, dma_iova_destroy, dma_iova_unlink) passes 0 or lacks it',
      'a BUS_ADDR result (pci_p2pdma_bus_addr_map, sg_dma_is_bus_address(sg)) is handed to dma_unmap_page/dma_unmap_phys/iommu_unmap',
      'a custom unmap loop over a P2P-capable SGL calls dma_unmap_page(sg_dma_address(sg)) for every entry without skipping sg_dma_is_bus_address()',
      'on 6.19+, the driver stores nothing about the map type at map time (no iter.p2pdma.map read), or passes a constant PCI_P2PDMA_MAP_NONE to blk_rq_dma_unmap() for requests that may be P2P',
    ],
    mustNotFire: [
      'dma_unmap_sgtable/dma_unmap_sg after dma_map_sgtable/dma_map_sg',
      'blk_rq_dma_unmap with a stored map type (6.19+), and the 4-argument blk_rq_dma_unmap()/blk_rq_integrity_dma_unmap() of 6.17-6.18, which read the request flags themselves',
      'core implementations',
      'attrs that differ only in DMA_ATTR_REQUIRE_COHERENT or DMA_ATTR_SKIP_CPU_SYNC between map and unmap (no functional effect on unmap)',
    ],
    fix: 'The unmap must use the same mechanism and attrs as the map. Record the P2P map type when mapping (e.g. an iod flag set from iter.p2pdma.map) and pass it to blk_rq_dma_unmap(..., map) on 6.19+; use DMA_ATTR_MMIO on dma_unmap_phys() too. Never unmap bus addresses.',
    references: [
      { messageId: '20200220100819.41860-1-maxg@mellanox.com', title: '[PATCH v2 1/2] RDMA/rw: fix error flow during RDMA context initialization' },
      { messageId: '20251017-block-with-mmio-v1-2-3f486904db5e@nvidia.com', title: '[PATCH 2/3] nvme-pci: unmap MMIO pages with appropriate interface' },
      { messageId: '20250720184040.2402790-4-kbusch@meta.com', title: '[PATCHv2 3/7] blk-mq-dma: require unmap caller provide p2p map type' },
      { messageId: '20190812173048.9186-10-logang@deltatee.com', title: '[PATCH v3 09/14] PCI/P2PDMA: Introduce pci_p2pdma_unmap_sg()' },
      { messageId: '20251114-block-with-mmio-v5-2-69d00f73d766@nvidia.com', title: '[PATCH v5 2/2] block-dma: properly take MMIO path (the 6.19 blk_rq_dma_unmap(..., map) form)' },
    ],
    examples: {
      fires: "nents = pci_p2pdma_map_sg(dev, sgl, nents, dir);\nif (!nents)\n\treturn -EREMOTEIO;\nif (example_submit(sgl))\n\tgoto out_unmap;\nreturn 0;\nout_unmap:\ndma_unmap_sg(dev, sgl, nents, dir);\nreturn -EIO;",
      quiet: "nents = pci_p2pdma_map_sg(dev, sgl, nents, dir);\nif (!nents)\n\treturn -EREMOTEIO;\nif (example_submit(sgl))\n\tgoto out_unmap;\nreturn 0;\nout_unmap:\npci_p2pdma_unmap_sg(dev, sgl, nents, dir);\nreturn -EIO;",
    },
    triggers: [
      'pci_p2pdma_map_sg', 'pci_p2pdma_map_sg_attrs', 'pci_p2pdma_unmap_sg', 'pci_p2pdma_unmap_sg_attrs', 'rdma_rw_map_sg',
      MMIO_ATTR, 'pci_p2pdma_bus_addr_map', BUS_ADDR, ...BUS_ADDRESS_TESTS, 'sg_dma_mark_bus_address', 'blk_rq_dma_unmap',
      'blk_rq_integrity_dma_unmap', 'pci_p2pmem_alloc_sgl', 'is_pci_p2pdma_page', 'FOLL_PCI_P2PDMA', 'ITER_ALLOW_P2PDMA',
    ],
    checksCoreFiles: true,
  },

  check(context) {
    const implementation = matchesAny(context.file.path, IMPLEMENTATIONS);
    return context.functions.flatMap((fn) => fn.calls.flatMap((call) => {
      if (!firstAdded(call.span)) return [];
      const info = mappingApi(call);
      const report = info?.role !== 'unmap' ? blkUnmapWithConstantType(context, fn, call)
        : p2pListMismatch(fn, call, info) ?? mmioAttrMissing(context, fn, call, info) ?? mapStateDropped(context, fn, call) ??
          (implementation || provesNotP2P(call.guards) ? undefined
            : busAddressUnmapped(fn, call, info) ?? unskippedBusEntries(context, fn, call, info));
      return report ? [report] : [];
    }));
  },
};

/** pci_p2pdma_map_sg() and a plain unmap of the same list, or dma_map_sg() and pci_p2pdma_unmap_sg(). */
function p2pListMismatch(fn: FunctionFacts, unmap: Call, info: MappingApi): RuleReport | undefined {
  const plain = info.family === 'list';
  if (!plain && !P2P_ONLY_UNMAPS.has(unmap.name)) return undefined;
  if (plain ? provesNotP2P(unmap.guards) : provesP2P(unmap.guards)) return undefined;
  const list = subjectKey(fn, subjectOf(unmap));
  if (list === undefined) return undefined;
  const onList = (c: Call, family: Family, role: MappingApi['role']) =>
    mappingApi(c)?.family === family && mappingApi(c)?.role === role && subjectKey(fn, subjectOf(c)) === list;
  const otherFamily: Family = plain ? 'p2p-list' : 'list';
  const map = fn.calls.find((c) => onList(c, otherFamily, 'map') && !exclusive(c.guards, unmap.guards));
  if (!map) return undefined;
  const mirrored = fn.calls.some((c) => onList(c, otherFamily, 'unmap') && exclusive(c.guards, unmap.guards));
  if (mirrored) return undefined;
  const label = labelAbove(fn, unmap.span);
  return {
    span: unmap.span,
    function: fn.name,
    severity: 'error',
    message: `${unmap.name}() unmaps ${subjectOf(unmap)!.text}${label ? ` on the ${label.name} path` : ''}, a list that ${map.name}() may have mapped; ` +
      (plain
        ? 'a P2P-mapped list must be unmapped with pci_p2pdma_unmap_sg() (its bus addresses were never mapped through the IOMMU).'
        : 'a list mapped with the plain DMA API must be unmapped with it too.'),
    related: [{ span: map.span, message: `${map.name}() maps ${subjectOf(map)!.text}` }],
  };
}

/** The map side passes DMA_ATTR_MMIO; the unmap that mirrors it does not. */
function mmioAttrMissing(context: RuleContext, fn: FunctionFacts, unmap: Call, info: MappingApi): RuleReport | undefined {
  if (!['phys', 'iova', 'page', 'single'].includes(info.family) || !mayBeAtLeast(context.era, 6018)) return undefined;
  if (passesAttr(fn, unmap, MMIO_ATTR) !== 'no' || notMmioPlace(unmap.guards, stateWords(context.file))) return undefined;
  // a wrapper inlined at its calls maps there, with the caller's attrs (its own body has only its parameter)
  const inlined = context.file.flow.inlinedInto;
  const maps = counterparts(context.functions.filter((f) => f === fn || !inlined.has(f.name)), fn, unmap);
  if (maps.length === 0 || maps.some((m) => passesAttr(m.fn, m.call, MMIO_ATTR) !== 'yes')) return undefined;
  const withMmio = fn.calls.some((c) => mappingApi(c)?.family === info.family && mappingApi(c)?.role === 'unmap' &&
    passesAttr(fn, c, MMIO_ATTR) === 'yes' && exclusive(c.guards, unmap.guards));
  if (withMmio) return undefined;
  const map = maps[0]!.call;
  return {
    span: unmap.span,
    function: fn.name,
    era: describeEra(context.era),
    message: `${unmap.name}() unmaps ${subjectOf(unmap)?.text ?? 'a mapping'} without DMA_ATTR_MMIO, but ${map.name}() mapped it with DMA_ATTR_MMIO; ` +
      'an MMIO mapping must be unmapped with the same attrs.',
    related: [{ span: map.span, message: `${map.name}() maps with DMA_ATTR_MMIO` }],
  };
}

/**
 * The removed lines unmapped with DMA_ATTR_MMIO here, and the function no longer keeps any
 * P2P/MMIO state to tell: the map-time information is lost (when it keeps some, R7 reports).
 */
function mapStateDropped(context: RuleContext, fn: FunctionFacts, unmap: Call): RuleReport | undefined {
  if (!mayBeAtLeast(context.era, 6018) || holdsP2PState(fn, stateWords(context.file))) return undefined;
  const twin = droppedMmio(context.file, fn, unmap);
  if (!twin) return undefined;
  return {
    span: unmap.span,
    function: fn.name,
    era: describeEra(context.era),
    message: `${unmap.name}() unmaps ${subjectOf(unmap)?.text ?? 'a mapping'} with no DMA_ATTR_MMIO and no record of how it was mapped, ` +
      `where the removed ${twin.call.name}() passed DMA_ATTR_MMIO for MMIO (P2P) segments; record the map type at map time and unmap MMIO as MMIO.`,
    related: [{ span: twin.call.span, message: `removed: ${twin.call.name}() with DMA_ATTR_MMIO` }],
  };
}

/** A bus address (BUS_ADDR arm, sg_dma_is_bus_address(), pci_p2pdma_bus_addr_map()) goes to an unmap. */
function busAddressUnmapped(fn: FunctionFacts, unmap: Call, info: MappingApi): RuleReport | undefined {
  const address = subjectOf(unmap);
  if (!ADDRESS_FAMILIES.has(info.family) || !address) return undefined;
  const arm = mapTypeArm(unmap.guards, BUS_ADDR) ?? busAddressTest(unmap.guards);
  const source = arm ? undefined : busAddressSource(fn, unmap, address);
  const why = arm ? (arm.kind === 'case' ? `in the ${BUS_ADDR} arm` : `under ${conditionText(arm.cond)}`) : 'from pci_p2pdma_bus_addr_map()';
  const where = arm?.span ?? source;
  if (!where) return undefined;
  return {
    span: unmap.span,
    function: fn.name,
    severity: 'error',
    message: `${unmap.name}() unmaps ${address.text}, a PCI bus address (${why}) that was never mapped through the DMA API; ` +
      'bus-address mappings have no unmap.',
    related: [{ span: where, message: arm ? 'the bus-address decision' : 'pci_p2pdma_bus_addr_map() gives the address' }],
  };
}

/**
 * Where `address` gets a pci_p2pdma_bus_addr_map() result on a path that can reach the unmap: not in
 * an exclusive arm, and, for an unmap under an error label, with a goto to it after the assignment.
 */
function busAddressSource(fn: FunctionFacts, unmap: Call, address: Expr): Span | undefined {
  const label = labelAbove(fn, unmap.span);
  const gotoAfter = (source: Call) => fn.gotos.some((g) => position(g.span) > position(source.span) &&
    !exclusive(g.guards, source.guards) && fn.labels.some((l) => l.name === g.label && position(l.span) <= position(unmap.span)));
  return fn.calls.find((c) => c.name === 'pci_p2pdma_bus_addr_map' && c.assignedTo !== undefined &&
    address.paths.includes(c.assignedTo) && position(c.span) < position(unmap.span) && !exclusive(c.guards, unmap.guards) &&
    (!label || gotoAfter(c)))?.span;
}

/** dma_unmap_page(sg_dma_address(sg)) for every entry of a P2P-capable list, bus addresses included. */
function unskippedBusEntries(context: RuleContext, fn: FunctionFacts, unmap: Call, info: MappingApi): RuleReport | undefined {
  if (!['page', 'phys', 'single'].includes(info.family) || unmap.loops.length === 0) return undefined;
  const address = subjectOf(unmap);
  const entry = address?.kind === 'call' && address.name === 'sg_dma_address' ? address.args[0] : undefined;
  if (!entry || unmap.guards.some((g) => g.cond.callNames.some((n) => BUS_ADDRESS_TESTS.has(n)))) return undefined;
  const capable = p2pCapableList(context, fn, entry);
  if (!capable) return undefined;
  return {
    span: unmap.span,
    function: fn.name,
    message: `${unmap.name}() unmaps sg_dma_address(${entry.text}) for every entry of a list that can hold P2P bus addresses ` +
      `(${capable.message}); skip the entries for which sg_dma_is_bus_address() is true, they were never mapped.`,
    related: [capable],
  };
}

/** Why the list an entry walks may hold bus addresses: P2P taint, or a map side that marks them. */
function p2pCapableList(context: RuleContext, fn: FunctionFacts, entry: Expr): { span: Span; message: string } | undefined {
  const taint = context.file.taintOf(fn).of(entry);
  if (taint?.span) return { span: taint.span, message: `P2P evidence: ${taint.via}` };
  const marks = context.functions.flatMap((f) => f.calls).find((c) => c.name === 'sg_dma_mark_bus_address');
  return marks ? { span: marks.span, message: 'the map side marks bus addresses with sg_dma_mark_bus_address()' } : undefined;
}

// issue 14 spec revision (R6: the unmap forms per version)
/**
 * blk_rq_dma_unmap(): 6.17-6.18 `(req, dev, state, len)` reads REQ_P2PDMA itself (6.18 adds
 * blk_rq_integrity_dma_unmap() for metadata); from 6.19 it is the only unmap and takes the map type
 * the driver recorded from `iter.p2pdma.map`. On 6.19+ a constant map type, or a file that maps
 * requests and never reads `p2pdma.map`, loses how the request was mapped.
 */
function blkUnmapWithConstantType(context: RuleContext, fn: FunctionFacts, call: Call): RuleReport | undefined {
  if (call.name !== 'blk_rq_dma_unmap' || !mayBeAtLeast(context.era, 6019)) return undefined;
  const map = call.args[4];
  const mapsRequests = context.functions.some((f) => f.calls.some((c) => c.name === 'blk_rq_dma_map_iter_start'));
  if (!map || !mapsRequests) return undefined;
  if (isConstantMapType(map)) {
    return {
      span: call.span,
      function: fn.name,
      era: describeEra(context.era),
      message: `${call.name}() is given the constant map type ${map.text}, not the one blk_rq_dma_map_iter_start() returned for this request; ` +
        'store the P2P map type (e.g. an iod flag) when mapping and pass it back here.',
    };
  }
  if (readsMapType(context.functions)) return undefined;
  const start = context.functions.flatMap((f) => f.calls).find((c) => c.name === 'blk_rq_dma_map_iter_start')!;
  return {
    span: call.span,
    function: fn.name,
    severity: 'warning',
    era: describeEra(context.era),
    message: `${call.name}() is given ${map.text}, but nothing records iter.p2pdma.map when the request is mapped with ` +
      'blk_rq_dma_map_iter_start(); from 6.19 the unmap needs the map type of the mapping (store it, e.g. as an iod flag, at map time).',
    related: [{ span: start.span, message: 'map: the map type is not recorded here' }],
  };
}

/** Some function reads a request iterator's map type (`iter.p2pdma.map`). */
function readsMapType(functions: readonly FunctionFacts[]): boolean {
  const reads = (e: Expr | undefined) => !!e && e.paths.some((p) => /(^|\.)p2pdma\.map$/.test(p));
  return functions.some((f) => f.assignments.some((a) => reads(a.rhs)) || f.ifs.some((g) => reads(g.cond)) ||
    f.switches.some((sw) => reads(sw.subject)) || f.calls.some((c) => c.args.some(reads)) || f.returns.some((r) => reads(r.value)));
}
// end issue 14 spec revision

function isConstantMapType(e: Expr): boolean {
  return e.kind === 'number' || e.text === 'true' || e.text === 'false' || (e.kind === 'path' && MAP_TYPE_VALUES.has(e.name!));
}

