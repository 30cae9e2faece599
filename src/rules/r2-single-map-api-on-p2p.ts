import { firstAdded } from '../analysis/file-analysis.js';
import type { Call, Expr, FunctionFacts } from '../analysis/facts.js';
import { decidesMapType, provesNotP2P } from '../analysis/guards.js';
import { describeEra, isBefore } from '../analysis/kernel-era.js';
import { ATTRS_ARG, MAP_TYPE_CALLS, P2P_PAGE_TESTS, PLAIN_LIST_MAP_CALLS, SINGLE_MAP_CALLS } from '../analysis/p2p-api.js';
import type { TaintView } from '../analysis/file-analysis.js';
import type { Taint } from '../analysis/value-flow.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';
import { triggersOf } from '../analysis/catalogue.js';

/** dma_map_phys()/dma_iova_link() on BAR phys belong to R7 (the missing DMA_ATTR_MMIO). */
const PHYS_CALLS = new Set(['dma_map_phys', 'dma_iova_link']);

export const r2: Rule = {
  meta: {
    id: 'R2',
    slug: 'p2p-single-map-api-on-p2p',
    name: 'Page/VA/phys mapping API used on P2P or BAR memory',
    defaultSeverity: 'error',
    versions: 'all; on 6.18+ dma_map_phys(..., DMA_ATTR_MMIO) is the legitimate form for THRU_HOST_BRIDGE (see R7); before 6.0 plain dma_map_sg() on a P2P list is wrong too; from 7.0 the bvec RDMA R/W API (ib_dma_map_bvec(), rdma_rw_ctx_init_bvec()) is merged API, P2P-unaware by design',
    summary: 'A page/VA/phys mapping call (dma_map_page, dma_map_single, ...) receives P2P or BAR memory.',
    why: 'dma_map_page, dma_map_single and similar calls carry no P2P information, and the matching unmap cannot know what it undoes. BUS_ADDR traffic must not get an IOVA or an offset-less phys; THRU_HOST_BRIDGE traffic must not get CPU cache maintenance, IOMMU_CACHE or a swiotlb bounce.',
    firesWhen: [
      'dma_map_single(dev, pci_alloc_p2pmem(...), ...), dma_map_page(dev, virt_to_page(p2p_va), ...)',
      'dma_map_page(dev, sg_page(sg), ...) inside a loop over a P2P-capable SGL with no per-entry is_pci_p2pdma_page/pci_p2pdma_state guard',
      'ib_dma_map_page/ib_dma_map_single/dma_map_bvec/ib_dma_map_bvec/dma_map_phys(..., 0)/dma_iova_link(..., 0), or rdma_rw_ctx_init_bvec() (7.0), on bvecs or pages taken with FOLL_PCI_P2PDMA/ITER_ALLOW_P2PDMA or from a BLK_FEAT_PCI_P2PDMA queue, with no map-type switch',
      'dma_map_single(dev, (void *)ioremap_va, ...) or dma_map_page(dev, pfn_to_page(bar_pfn), ...) on BAR/iomem',
      'pre-6.0: a plain dma_map_sg()/ib_dma_map_sg() replaces a P2P-aware mapper (pci_p2pdma_map_sg, rdma_rw_map_sg) on the same list (RDMA/rw signature fix, Message-Id 20200220100819.41860-2-maxg@mellanox.com)',
      'info: a new mapping front-end calls dma_map_phys()/dma_iova_link() on bvec_phys() without any P2P state ("P2P-unaware mapping path; document that P2P pages are rejected, or add pci_p2pdma_state")',
    ],
    mustNotFire: [
      'the call is dominated by !is_pci_p2pdma_page(page), pci_p2pdma_state(...) == PCI_P2PDMA_MAP_NONE, or a switch whose non-NONE arms go elsewhere',
      'blk_dma_map_direct() in block/blk-mq-dma.c; dma-direct/dma-iommu internals',
      'pages from plain alloc_pages/kmalloc/page cache with no P2P source in the function',
      'the pre-5.2 NVMe CMB SQ use of pci_p2pmem_virt_to_bus for the providing device itself',
    ],
    fix: 'dma_map_page/dma_map_single cannot express P2P. Use dma_map_sgtable() (6.0+). For phys or bvec ranges, switch on pci_p2pdma_state(): BUS_ADDR → pci_p2pdma_bus_addr_map(), THRU_HOST_BRIDGE → dma_map_phys()/dma_iova_link() with DMA_ATTR_MMIO (6.18+), NOT_SUPPORTED → fail. For raw MMIO that is not a PCI peer, use dma_map_resource().',
    references: [
      { messageId: '20251114-block-with-mmio-v5-2-69d00f73d766@nvidia.com', title: '[PATCH v5 2/2] block-dma: properly take MMIO path' },
      { messageId: '20200220100819.41860-2-maxg@mellanox.com', title: '[PATCH v2 2/2] RDMA/rw: map P2P memory correctly for signature operations' },
      { messageId: '20260117162056.GK14359@unreal', title: 'Leon Romanovsky on "RDMA/core: add bio_vec based RDMA read/write API"' },
    ],
    examples: {
      fires: "buf = pci_alloc_p2pmem(pdev, len);\naddr = dma_map_single(peer_dev, buf, len, DMA_TO_DEVICE);",
      quiet: "if (!is_pci_p2pdma_page(page))\n\taddr = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);",
    },
    triggers: triggersOf('R2', ['source', 'page-predicate', 'gup-flag', 'advertisement']),
  },

  check(context) {
    return context.functions.flatMap((fn) => {
      const taint = context.file.taintOf(fn);
      return fn.calls.flatMap((call) => {
        const report = singleMapOnP2P(fn, call, taint) ?? plainListMapOnP2PList(context, fn, call, taint) ??
          p2pUnawarePhysMapping(context, fn, call) ?? p2pUnawareThroughHelper(context, fn, call);
        return report && firstAdded(report.span) ? [report] : [];
      });
    });
  },
};

function singleMapOnP2P(fn: FunctionFacts, call: Call, taint: TaintView): RuleReport | undefined {
  const index = SINGLE_MAP_CALLS.get(call.name);
  const memory = index === undefined ? undefined : call.args[index];
  if (!memory) return undefined;
  const t = taint.at(call).of(memory);
  if (!t || !sinkAccepts(call, t) || hasMmioAttr(call)) return undefined;
  if (provesNotP2P(call.guards) || decidesMapType(call.guards)) return undefined;
  return {
    span: call.span,
    function: fn.name,
    // error only when P2P/BAR memory provably reaches the call (spec "Severity calibration");
    // pages a caller or user may pass (GUP, exposed request data, a field or parameter) are warnings
    severity: (t.origin === 'p2pmem' || t.origin === 'bar') && !t.indirect ? 'error' : 'warning',
    message: `${call.name}() maps ${memory.text}, which ${describeTaint(t)}; ` +
      `${call.name}() carries no P2P information (BUS_ADDR needs a bus address, THRU_HOST_BRIDGE an MMIO mapping).`,
    related: t.span ? [{ span: t.span, message: `P2P source: ${t.via}` }] : [],
  };
}

function sinkAccepts(call: Call, t: Taint): boolean {
  if (!PHYS_CALLS.has(call.name)) return true;
  return t.origin === 'gup' || t.origin === 'p2pmem';
}

function hasMmioAttr(call: Call): boolean {
  const attrs = ATTRS_ARG.get(call.name);
  return attrs !== undefined && !!call.args[attrs]?.identifiers.includes('DMA_ATTR_MMIO');
}

/** Pre-6.0: the plain list mapper on a list the removed lines gave to a P2P-aware mapper. */
function plainListMapOnP2PList(context: RuleContext, fn: FunctionFacts, call: Call, taint: TaintView): RuleReport | undefined {
  if (!PLAIN_LIST_MAP_CALLS.has(call.name) || !isBefore(context.era, 6000)) return undefined;
  const list = call.args[1];
  const t = list ? taint.at(call).of(list) : undefined;
  if (!list || !t || provesNotP2P(call.guards)) return undefined;
  return {
    span: call.span,
    function: fn.name,
    severity: 'warning',
    era: describeEra(context.era),
    message: `${call.name}() maps ${list.text}, a list that ${describeTaint(t)}; before 6.0 the plain DMA API ` +
      'does not handle P2P pages, so a P2P list needs pci_p2pdma_map_sg() (and the matching unmap).',
    related: t.span ? [{ span: t.span, message: `P2P evidence: ${t.via}` }] : [],
  };
}

/** dma_map_phys()/dma_iova_link() of a bvec's phys with no P2P state in `fn`: the bvec expression mapped. */
function unawarePhys(fn: FunctionFacts, call: Call): Expr | undefined {
  const index = SINGLE_MAP_CALLS.get(call.name);
  const phys = index === undefined || !PHYS_CALLS.has(call.name) ? undefined : call.args[index];
  if (!phys || !phys.callNames.includes('bvec_phys') || hasMmioAttr(call)) return undefined;
  if (fn.calls.some((c) => MAP_TYPE_CALLS.has(c.name) || P2P_PAGE_TESTS.has(c.name))) return undefined;
  if (provesNotP2P(call.guards) || decidesMapType(call.guards)) return undefined;
  return phys;
}

/** The bvec comes from a parameter and the patch calls `fn`: its callers hold the P2P decision. */
function decidedByCallers(context: RuleContext, fn: FunctionFacts, phys: Expr): boolean {
  const fromParam = phys.paths.some((p) => fn.params.some((q) => q.name === p.split('.')[0]));
  return fromParam && context.file.flow.callersOf(fn.name).some((c) => c !== fn);
}

const notedHelpers = new WeakMap<object, Set<string>>();

/**
 * The P2P-unaware mapping sits in an inline helper (`ib_dma_map_bvec()`) that the patch calls:
 * the note goes to the call, in the function that would hold the P2P decision (spec R2, last
 * bullet: not at every inline wrapper), with the helper as a related location.
 */
function p2pUnawareThroughHelper(context: RuleContext, fn: FunctionFacts, call: Call): RuleReport | undefined {
  const helper = context.file.flow.functionNamed(call.name);
  if (!helper || helper === fn || fn.calls.some((c) => MAP_TYPE_CALLS.has(c.name) || P2P_PAGE_TESTS.has(c.name))) return undefined;
  if (provesNotP2P(call.guards) || decidesMapType(call.guards)) return undefined;
  const inner = helper.calls.find((c) => unawarePhys(helper, c));
  if (!inner || !decidedByCallers(context, helper, unawarePhys(helper, inner)!)) return undefined;
  // once per new API: at its first call the patch adds
  if (!firstAdded(call.span)) return undefined;
  // a wrapper inlined at its calls has no finding of its own (engine): the note goes to a caller
  if (fn.name && context.file.flow.inlinedInto.has(fn.name)) return undefined;
  const noted = notedHelpers.get(context.file.flow) ?? new Set<string>();
  notedHelpers.set(context.file.flow, noted);
  if (noted.has(helper.name)) return undefined;
  noted.add(helper.name);
  return {
    span: call.span,
    function: fn.name,
    severity: 'info',
    message: `${call.name}() maps the bvec with ${inner.name}() and no P2P state, and ${fn.name || 'this function'} decides nothing about P2P: ` +
      'a P2P-unaware mapping path; document that P2P pages are rejected, or add pci_p2pdma_state().',
    related: [{ span: inner.span, message: `wrapper: ${inner.name}() in ${call.name}()` }],
  };
}

/** A new bvec front-end: dma_map_phys()/dma_iova_link() on bvec_phys() with no P2P state anywhere (info). */
function p2pUnawarePhysMapping(context: RuleContext, fn: FunctionFacts, call: Call): RuleReport | undefined {
  const phys = unawarePhys(fn, call);
  if (!phys || decidedByCallers(context, fn, phys)) return undefined;
  return {
    span: call.span,
    function: fn.name,
    severity: 'info',
    message: `${call.name}() maps ${phys.text} with no P2P state in ${fn.name || 'this function'}: a P2P-unaware mapping path; ` +
      'document that P2P pages are rejected, or add pci_p2pdma_state().',
  };
}

function describeTaint(t: Taint): string {
  switch (t.origin) {
    case 'p2pmem': return `comes from ${t.via} (P2P memory)`;
    case 'bar': return `comes from ${t.via} (BAR/MMIO)`;
    case 'gup': return `holds pages from ${t.via}`;
    case 'exposed': return `is ${t.via}`;
    default: return `the code treats as possibly P2P (${t.via})`;
  }
}
