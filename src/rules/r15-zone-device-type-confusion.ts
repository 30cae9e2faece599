import { namesWith } from '../analysis/catalogue.js';
import { matchesAny } from '../analysis/core-files.js';
import { firstAdded } from '../analysis/file-analysis.js';
import type { Call, Expr, FunctionFacts, Guard, Span } from '../analysis/facts.js';
import { guardAtoms, provesNotP2P } from '../analysis/guards.js';
import { MAP_TYPE_CALLS, P2P_PAGE_TESTS } from '../analysis/p2p-api.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

const ZONE_DEVICE_TESTS = namesWith('zone-device-test', (r) => r.kind === 'any');
const DEVICE_PRIVATE_TESTS = namesWith('zone-device-test', (r) => r.kind === 'device-private');
const P2P_TYPE = 'MEMORY_DEVICE_PCI_P2PDMA';
/** What handling P2P memory looks like in an arm. */
const P2P_HANDLING_CALLS = new Set([
  ...MAP_TYPE_CALLS, 'pci_p2pdma_bus_addr_map', 'pci_p2pdma_map_sg', 'pci_p2pdma_map_sg_attrs', 'pci_p2pdma_map_segment',
  'sg_dma_mark_bus_address', 'pci_p2pdma_unmap_sg', 'pci_p2pdma_unmap_sg_attrs',
]);
const P2P_MARKS = new Set(['REQ_P2PDMA', 'HMM_PFN_P2PDMA', 'HMM_PFN_P2PDMA_BUS', 'IOD_DATA_P2P', 'BIP_P2P_DMA', 'DMA_ATTR_MMIO']);
const HMM_P2P_FLAGS = new Set(['HMM_PFN_P2PDMA', 'HMM_PFN_P2PDMA_BUS', 'HMM_PFN_ALLOW_P2P']);
/** Mapping calls; value = index of the page/phys argument. */
const DMA_MAPS: ReadonlyMap<string, number> = new Map([
  ['dma_map_page', 1], ['dma_map_page_attrs', 1], ['dma_map_phys', 1], ['dma_map_single', 1], ['dma_map_single_attrs', 1],
  ['ib_dma_map_page', 1], ['dma_iova_link', 2], ['dma_map_resource', 1],
]);
const PAGE_GETS = new Set(['get_page', 'folio_get', 'try_get_page', 'get_page_unless_zero', 'folio_try_get', 'page_ref_inc', 'pin_user_page']);
/** The ZONE_DEVICE implementations themselves (beyond the core files the engine already skips). */
const EXEMPT = [/^mm\//, /(^|\/)include\/linux\/(memremap|mm|mm_types|hmm)\.h$/, /(^|\/)drivers\/pci\/p2pdma\.c$/];

export const r15: Rule = {
  meta: {
    id: 'R15',
    slug: 'p2p-zone-device-type-confusion',
    name: 'ZONE_DEVICE page kinds conflated',
    defaultSeverity: 'warning',
    versions: 'all, especially the 6.16+ HMM paths (HMM_PFN_P2PDMA)',
    summary: 'A ZONE_DEVICE test stands in for "is P2P", device-private pages are DMA-mapped, or HMM-returned P2P pages are refcounted.',
    why: 'HMM device-private pages, device-coherent pages, fsdax pages and p2pdma pages are all ZONE_DEVICE. Only is_pci_p2pdma_page() identifies BAR-backed pages. Device-private pages have no usable physical address at all: they must be migrated, or translated by the owner (get_dma_page_for_device proposal). Consumers must not pin or refcount P2P pages they received through HMM.',
    firesWhen: [
      'is_zone_device_page() or page_pgmap()->type checks are used as a stand-in for "is P2P"',
      'is_device_private_page() pages are passed to dma_map_*',
      'get_page/pin is taken on HMM-returned P2P pages',
    ],
    mustNotFire: [
      'include/linux/memremap.h, mm/* core, drivers/pci/p2pdma.c',
    ],
    fix: 'Use is_pci_p2pdma_page() (or pci_p2pdma_state()) to detect P2P memory. Device-private pages are not DMA-addressable, and other ZONE_DEVICE types are not P2P.',
    references: [
      { messageId: '87frow8wdk.fsf@nvdebian.thelocal', title: 'Alistair Popple on "[PATCH v1 1/4] mm/hmm: HMM API for P2P DMA to device zone pages"' },
      { messageId: '20241016154555.GE4020792@ziepe.ca', title: 'Jason Gunthorpe on "[PATCH v1 1/4] mm/hmm: HMM API for P2P DMA to device zone pages"' },
    ],
    examples: {
      fires: 'if (is_zone_device_page(page))\n\tstate->map = pci_p2pdma_state(&state->p2p, dev, page);',
      quiet: 'if (is_pci_p2pdma_page(page))\n\tstate->map = pci_p2pdma_state(&state->p2p, dev, page);',
    },
    triggers: [...ZONE_DEVICE_TESTS, ...DEVICE_PRIVATE_TESTS, 'page_pgmap', 'pgmap', 'hmm_pfn_to_page'],
  },

  check(context) {
    if (matchesAny(context.file.path, EXEMPT)) return [];
    return context.functions.flatMap((fn) => [
      ...standInFlags(fn),
      ...standInDecisions(fn),
      ...devicePrivateMaps(fn),
      ...hmmPageRefs(context, fn),
    ]).filter((r) => firstAdded(r.span));
  },
};

/** A ZONE_DEVICE test, or a pgmap type comparison that does not name MEMORY_DEVICE_PCI_P2PDMA. */
function zoneDeviceTest(e: Expr): string | undefined {
  if (e.callNames.some((n) => P2P_PAGE_TESTS.has(n)) || e.identifiers.includes(P2P_TYPE)) return undefined;
  const zone = e.callNames.find((n) => ZONE_DEVICE_TESTS.has(n));
  if (zone) return `${zone}()`;
  const typeOfPgmap = e.identifiers.includes('type') && (e.callNames.includes('page_pgmap') || e.paths.some((p) => /(^|\.)pgmap\.type$/.test(p)));
  return typeOfPgmap ? 'a pgmap type check' : undefined;
}

function standInReport(fn: FunctionFacts, span: Span, test: string, what: string): RuleReport {
  return {
    span,
    function: fn.name,
    message: `${test} ${what}, but every ZONE_DEVICE kind (device-private, device-coherent, fsdax, P2P) passes it; ` +
      'only is_pci_p2pdma_page() or pci_p2pdma_state() identifies BAR-backed P2P pages.',
  };
}

/**
 * `bool flag = is_zone_device_page(page);` where the flag then chooses P2P handling (a P2P API
 * call or a P2P marker in the arm it guards): what the flag stands for, not what it is called.
 */
function standInFlags(fn: FunctionFacts): RuleReport[] {
  return fn.assignments.flatMap((a) => {
    const test = zoneDeviceTest(a.rhs);
    if (!test || a.lhs.includes('.') && !fn.ifs.some((g) => g.cond.paths.includes(a.lhs))) return [];
    const decisions = fn.ifs.filter((g) => guardAtoms([g]).some((x) => x.positive && x.expr.paths.includes(a.lhs)));
    const handles = decisions.some((d) => {
      const underIt = (guards: readonly Guard[]) => guards.some((g) => g.id === d.id && g.positive);
      return fn.calls.some((c) => underIt(c.guards) && handlesP2P(c)) ||
        fn.assignments.some((x) => underIt(x.guards) && x.rhs.identifiers.some((i) => P2P_MARKS.has(i)));
    });
    return handles ? [standInReport(fn, a.span, test, `decides ${a.lhsExpr.text}`)] : [];
  });
}

/** `if (is_zone_device_page(page)) { ...P2P handling... }` */
function standInDecisions(fn: FunctionFacts): RuleReport[] {
  return fn.ifs.flatMap((decision) => {
    const atom = guardAtoms([decision]).find((a) => a.positive && zoneDeviceTest(a.expr));
    if (!atom || !zoneDeviceTest(decision.cond)) return [];
    // a flag this function stored the test in is reported where it is stored (standInFlags): one defect, one finding
    const bare = (t: string) => t.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
    if (fn.assignments.some((a) => zoneDeviceTest(a.rhs) && bare(a.lhsExpr.text) === bare(atom.expr.text))) return [];
    const underIt = (guards: readonly Guard[]) => guards.some((g) => g.id === decision.id && g.positive);
    const handling = fn.calls.find((c) => underIt(c.guards) && handlesP2P(c)) ??
      fn.assignments.find((a) => underIt(a.guards) && a.rhs.identifiers.some((i) => P2P_MARKS.has(i)));
    if (!handling) return [];
    const span = firstAdded(conditionSpan(decision)) ? conditionSpan(decision) : handling.span;
    return [standInReport(fn, span, zoneDeviceTest(atom.expr)!, 'chooses the P2P handling')];
  });
}

function handlesP2P(c: Call): boolean {
  return P2P_HANDLING_CALLS.has(c.name) || c.args.some((a) => a.identifiers.some((i) => P2P_MARKS.has(i)));
}

function conditionSpan(g: Guard): Span {
  return { lines: g.span.lines.slice(0, g.cond.text.split('\n').length), column: g.span.column };
}

/** dma_map_*() of a page that a guard proves device-private. */
function devicePrivateMaps(fn: FunctionFacts): RuleReport[] {
  return fn.calls.flatMap((call) => {
    const index = DMA_MAPS.get(call.name);
    const memory = index === undefined ? undefined : call.args[index];
    if (!memory) return [];
    const privateTest = guardAtoms(call.guards).find((a) => a.positive && a.expr.kind === 'call' &&
      DEVICE_PRIVATE_TESTS.has(a.expr.name!) && a.expr.paths.some((p) => memory.paths.includes(p)));
    if (!privateTest) return [];
    return [{
      span: call.span,
      function: fn.name,
      severity: 'error' as const,
      message: `${call.name}() maps ${memory.text}, which ${privateTest.expr.name}() proves device-private; ` +
        'device-private pages have no address a DMA device can use: migrate them or ask the owning driver for a DMA address.',
    }];
  });
}

/** get_page()/pins on pages from hmm_pfn_to_page() when the HMM range may return P2P pages. */
function hmmPageRefs(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  if (!admitsHmmP2P(context, fn)) return [];
  return fn.calls.filter((c) => PAGE_GETS.has(c.name) && c.args[0]).flatMap((get) => {
    const fromHmm = context.file.taintOf(fn).trace(get.args[0]!, get, (x) => (x.kind === 'call' && x.name === 'hmm_pfn_to_page' ? x : undefined));
    if (!fromHmm || provesNotP2P(get.guards) || notHmmP2P(get.guards)) return [];
    return [{
      span: get.span,
      function: fn.name,
      message: `${get.name}(${get.args[0]!.text}) takes a reference on a page from ${fromHmm.text}, and this HMM range can return ` +
        'P2P pages; consumers must not pin or refcount P2P pages received through HMM.',
    }];
  });
}

function admitsHmmP2P(context: RuleContext, fn: FunctionFacts): boolean {
  const ids = context.file.post.identifiers;
  return [...HMM_P2P_FLAGS].some((f) => ids.has(f)) || fn.calls.some((c) => P2P_PAGE_TESTS.has(c.name));
}

/** A guard under which the HMM pfn is known not to be P2P: `!(pfn & HMM_PFN_P2PDMA)`. */
function notHmmP2P(guards: readonly Guard[]): boolean {
  return guardAtoms(guards).some((a) => !a.positive && a.expr.identifiers.some((i) => HMM_P2P_FLAGS.has(i)));
}
