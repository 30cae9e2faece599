import { rolesOf, type Role } from '../analysis/catalogue.js';
import { firstAdded, firstRemoved } from '../analysis/file-analysis.js';
import type { Call, FunctionFacts, Span } from '../analysis/facts.js';
import { describeEra, isBefore } from '../analysis/kernel-era.js';
import { mapTypeDecision, type MapTypeDecision, type Route } from '../analysis/map-type-decision.js';
import { P2P_AWARE_LIST_MAPPERS, SINGLE_MAP_CALLS } from '../analysis/p2p-api.js';
import {
  failurePath, isErrorValue, isLoggingCall, isRetryValue, lineOf, passesOn, resultOf, type FailurePath, type Placed,
  type Result,
} from '../analysis/result-use.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

const NOT_SUPPORTED: Route = 'PCI_P2PDMA_MAP_NOT_SUPPORTED';
const BUS_ADDR_MAP = 'pci_p2pdma_bus_addr_map';
const DMA_API_MAPPERS: ReadonlySet<string> = new Set([...SINGLE_MAP_CALLS.keys(), 'dma_map_resource']);
/** Routes that must never reach each kind of mapping call, and why. */
const WRONG_ROUTES: Record<'dma' | 'bus', Partial<Record<Route, string>>> = {
  dma: {
    PCI_P2PDMA_MAP_NOT_SUPPORTED: 'NOT_SUPPORTED must fail with -EREMOTEIO',
    PCI_P2PDMA_MAP_BUS_ADDR: 'BUS_ADDR traffic never crosses the IOMMU and needs pci_p2pdma_bus_addr_map()',
  },
  bus: {
    PCI_P2PDMA_MAP_NOT_SUPPORTED: 'NOT_SUPPORTED must fail with -EREMOTEIO',
    PCI_P2PDMA_MAP_THRU_HOST_BRIDGE: 'THRU_HOST_BRIDGE traffic goes through the DMA API (dma_map_phys()/dma_iova_link() with DMA_ATTR_MMIO)',
  },
};
const SGTABLE_MAPPERS: ReadonlySet<string> = new Set(['dma_map_sgtable', 'ib_dma_map_sgtable_attrs']);
/** Identifiers that say the file deals with P2P memory. */
/** The function git names in a hunk header (`@@ ... @@ static int foo(struct bar *b,`). */
const FUNCTION_HEAD = /([A-Za-z_]\w*)\s*\(/;
/** Consumers that are handed P2P requests or lists (nvme-pci, nvmet, RDMA rw). */
/** Catalogue roles whose identifiers say a file handles P2P memory (sources, predicates, opt-ins, state). */
const P2P_ROLES: ReadonlySet<Role['role']> = new Set(['source', 'page-predicate', 'map-type-query', 'map-type-value',
  'capability-test', 'queue-test', 'advertisement', 'gup-flag', 'p2p-state-flag', 'provider-registration', 'peer-lookup']);

export const r5: Rule = {
  meta: {
    id: 'R5',
    slug: 'p2p-map-type-incomplete',
    name: 'Map-type switch missing or wrong arms',
    defaultSeverity: 'warning',
    versions: '6.0+ (dma_map_sgtable() returns -EREMOTEIO), 6.16+ (pci_p2pdma_state()), 6.19+ (pci_p2pdma_map_type(provider, dev) exported)',
    summary: 'A decision on the P2P map type misses the failing NOT_SUPPORTED arm or sends a route to the wrong mapping, or -EREMOTEIO from dma_map_sgtable() becomes a retry.',
    why: 'The three routes need three treatments: BUS_ADDR uses a bus address with no IOMMU, THRU_HOST_BRIDGE uses the DMA API as MMIO, and NOT_SUPPORTED must fail, with -EREMOTEIO as the agreed code. Turning -EREMOTEIO into -ENOMEM or BLK_STS_RESOURCE makes the caller retry a transfer that can never work.',
    firesWhen: [
      'a switch or if on pci_p2pdma_state()/pci_p2pdma_map_type() has no default or NOT_SUPPORTED arm that fails',
      'NOT_SUPPORTED falls through to mapping',
      'BUS_ADDR goes to a dma_map_*/dma_iova_link call',
      'THRU_HOST_BRIDGE goes to pci_p2pdma_bus_addr_map',
      'the same misrouted arms in a switch or if on a map type known by its declared type: the .map of a struct pci_p2pdma_map_state, such as iter->p2pdma.map of the 6.17+ struct blk_dma_iter, or an enum pci_p2pdma_map_type local or parameter (a NOT_SUPPORTED fall-through there is a warning: its producer is not in the function)',
      'dma_map_sgtable() returns -EREMOTEIO and the caller retries, or converts it to -ENOMEM/BLK_STS_RESOURCE (a requeue loop)',
    ],
    mustNotFire: [
      'the blk-mq-dma and dma-buf-mapping patterns (default arm → BLK_STS_INVAL/-EINVAL)',
      'PCI_P2PDMA_MAP_NONE sharing an arm with THRU_HOST_BRIDGE when the MMIO attribute is added separately',
      'a map type handed back to the caller (returned or stored), which decides on it',
      'dma_map_sgtable() failures that keep the errno (return rc, errno_to_blk_status(rc)) or test for -EREMOTEIO, and code with no sign of P2P memory',
      'nvme-pci 6.19\'s recording switch on iter.p2pdma.map: its default arm returns BLK_STS_RESOURCE, but blk_rq_dma_map_iter_start() has already failed NOT_SUPPORTED with BLK_STS_INVAL, so the default is unreachable',
      'a missing NOT_SUPPORTED arm in a decision on a map type whose producer is not in the function (iter->p2pdma.map, an enum pci_p2pdma_map_type parameter, another function\'s struct pci_p2pdma_map_state): the producer fails it',
    ],
    fix: 'Handle every enum pci_p2pdma_map_type value: BUS_ADDR → pci_p2pdma_bus_addr_map(), THRU_HOST_BRIDGE → DMA API + DMA_ATTR_MMIO, NONE → normal mapping, default/NOT_SUPPORTED → -EREMOTEIO (not retryable).',
    references: [
      { messageId: '20220708165104.5005-5-logang@deltatee.com', title: '[PATCH v8 04/13] dma-mapping: allow EREMOTEIO return code for P2PDMA transfers' },
      { messageId: 'Yxi5h09JAzIo4Kh8@infradead.org', title: 'hch: the two ways P2P happens (switch vs root port)' },
    ],
    examples: {
      fires: 'switch (pci_p2pdma_state(&state, dev, page)) {\ncase PCI_P2PDMA_MAP_BUS_ADDR:\n\taddr = pci_p2pdma_bus_addr_map(&state, phys);\n\tbreak;\ncase PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:\ncase PCI_P2PDMA_MAP_NONE:\n\taddr = dma_map_phys(dev, phys, len, dir, attrs);\n\tbreak;\n}',
      quiet: 'switch (pci_p2pdma_state(&state, dev, page)) {\ncase PCI_P2PDMA_MAP_BUS_ADDR:\n\taddr = pci_p2pdma_bus_addr_map(&state, phys);\n\tbreak;\ncase PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:\ncase PCI_P2PDMA_MAP_NONE:\n\taddr = dma_map_phys(dev, phys, len, dir, attrs);\n\tbreak;\ndefault:\n\treturn -EREMOTEIO;\n}',
    },
    triggers: [
      'pci_p2pdma_state', 'pci_p2pdma_map_type', 'pci_p2pdma_map_segment', 'PCI_P2PDMA_MAP_NONE', 'PCI_P2PDMA_MAP_NOT_SUPPORTED',
      'PCI_P2PDMA_MAP_BUS_ADDR', 'PCI_P2PDMA_MAP_THRU_HOST_BRIDGE', 'dma_map_sgtable', 'ib_dma_map_sgtable_attrs',
    ],
  },

  check(context) {
    return context.functions.flatMap((fn) => [...decisionFindings(fn), ...requeueFindings(context, fn)]);
  },
};

function decisionFindings(fn: FunctionFacts): RuleReport[] {
  const decision = mapTypeDecision(fn);
  if (!decision) return [];
  const misrouted = fn.calls.flatMap((call) => misroutedMapping(fn, decision, call));
  if (misrouted.length > 0) return misrouted.filter((r) => firstAdded(r.span));
  const missing = missingFailingArm(fn, decision);
  return missing ? [missing] : [];
}

/** A mapping call inside an arm of the decision that routes it must not see can reach. */
function misroutedMapping(fn: FunctionFacts, decision: MapTypeDecision, call: Call): RuleReport[] {
  const kind = DMA_API_MAPPERS.has(call.name) ? 'dma' : call.name === BUS_ADDR_MAP ? 'bus' : undefined;
  const arm = kind && decision.armOf(call);
  if (!kind || !arm) return [];
  const wrong = [...decision.routesAt(call)].filter((r) => WRONG_ROUTES[kind][r]);
  if (wrong.length === 0) return [];
  // issue 14 R5 (api2): a map type read by its declared type whose producer is not in the function may
  // have failed NOT_SUPPORTED already (severity calibration: producer not in the patch, one level lower)
  const certain = !decision.typedOnly || wrong.some((r) => r !== NOT_SUPPORTED);
  return [{
    span: call.span,
    function: fn.name,
    severity: certain ? 'error' : 'warning',
    message: `${call.name}() also runs when ${decision.typedOnly ? `${decision.what} is` : `${decision.what} returns`} ${wrong.join(' or ')}: ` +
      `${wrong.map((r) => WRONG_ROUTES[kind][r]).join('; ')}.`,
    related: [{ span: arm.span, message: `the ${arm.kind === 'case' ? `arm ${arm.labels!.join(', ')}` : `${arm.kind} arm of ${arm.cond.text}`} that leads there` }],
  }];
}

/** No fact under the decision fails (or at least stops) the NOT_SUPPORTED route. */
function missingFailingArm(fn: FunctionFacts, decision: MapTypeDecision): RuleReport | undefined {
  // issue 14 R5 (api2): a map type read by declared type (iter->p2pdma.map, a parameter) was produced
  // elsewhere: the blk-mq-dma iterator has failed NOT_SUPPORTED already, another producer may have
  if (decision.delegated || decision.typedOnly) return undefined;
  if (!decision.named.has('PCI_P2PDMA_MAP_BUS_ADDR') && !decision.named.has('PCI_P2PDMA_MAP_THRU_HOST_BRIDGE')) return undefined;
  const stopsNotSupported = (f: Placed, failing: boolean) => {
    if (decision.decidingGuards(f).length === 0) return false;
    const routes = decision.routesAt(f);
    return routes.has(NOT_SUPPORTED) && (failing || routes.size === 1);
  };
  const stopped = fn.returns.some((r) => stopsNotSupported(r, !!r.value && isErrorValue(r.value))) ||
    fn.gotos.some((g) => stopsNotSupported(g, gotoMayFail(fn, g.label))) ||
    fn.assignments.some((a) => isErrorValue(a.rhs) && stopsNotSupported(a, true));
  if (stopped) return undefined;
  const at = decisionHeads(decision).find((s) => firstAdded(s));
  if (!at) return undefined;
  return {
    span: at,
    function: fn.name,
    message: `The decision on ${decision.what} has no default or PCI_P2PDMA_MAP_NOT_SUPPORTED arm that fails: ` +
      'a transfer the topology cannot route goes on to be mapped; return -EREMOTEIO for it.',
  };
}

/** First lines of the decision's switches, case labels and ifs, in line order. */
function decisionHeads(decision: MapTypeDecision): Span[] {
  const head = (s: Span): Span => ({ lines: s.lines.slice(0, 1), column: s.column });
  const spans = [
    ...decision.switches.flatMap((s) => [head(s.span), ...s.arms.map((a) => head(a.span))]),
    ...decision.ifs.map((g) => head(g.span)),
  ];
  return spans.sort((a, b) => lineOf(a) - lineOf(b));
}

/** dma_map_sgtable() failures turned into a retry or requeue without looking for -EREMOTEIO (6.0+). */
function requeueFindings(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  const conversion = isBefore(context.era, 6000);
  if (conversion && !replacesP2PAwareMapper(context, fn)) return [];
  const era = describeEra(context.era) + (conversion ? '; the patch replaces pci_p2pdma_map_sg*(), as the 6.0 conversion to dma_map_sgtable() did' : '');
  return fn.calls.filter((c) => SGTABLE_MAPPERS.has(c.name) && !c.returned).flatMap((call) => {
    const result = resultOf(call);
    const path = failurePath(fn, result);
    if (keepsRemoteIo(path, result)) return [];
    const retry = retryOf(context, fn, path, call);
    const evidence = retry && p2pEvidence(context, fn, call);
    const span = retry && [call.span, retry.span].find((s) => firstAdded(s));
    if (!retry || !evidence || !span) return [];
    return [{
      span,
      function: fn.name,
      era,
      message: `${call.name}() fails with -EREMOTEIO when the device cannot reach P2P memory in ${call.args[1]?.text ?? 'the table'}, ` +
        `but its failure path ${retry.what}: -EREMOTEIO is final, not transient (${evidence}).`,
      related: span === call.span ? [{ span: retry.span, message: retry.what }] : [{ span: call.span, message: `${call.name}() call` }],
    }];
  });
}

/**
 * The function's removed lines used pci_p2pdma_map_sg*() (or rdma_rw_map_sg()): the patch is the 6.0
 * conversion itself, whatever the pre-image says about the era.
 */
function replacesP2PAwareMapper(context: RuleContext, fn: FunctionFacts): boolean {
  if (context.era.source === 'option') return false;
  return context.file.pre.functions.some((f) => f.name === fn.name && f.calls.some((c) => P2P_AWARE_LIST_MAPPERS.has(c.name) && firstRemoved(c.span)));
}

/** The failure path tests for -EREMOTEIO or hands the errno on (return rc, errno_to_blk_status(rc)). */
function keepsRemoteIo(path: FailurePath, result: Result): boolean {
  const facts: Placed[] = [...path.returns, ...path.gotos, ...path.assignments, ...path.calls.filter((c) => !isLoggingCall(c.name))];
  if (facts.some((f) => f.guards.some((g) => g.cond.identifiers.includes('EREMOTEIO')))) return true;
  return path.returns.some((r) => passesOn({ value: r.value }, result) || !!r.value?.identifiers.includes('EREMOTEIO')) ||
    path.assignments.some((a) => passesOn(a, result) || a.rhs.identifiers.includes('EREMOTEIO')) ||
    path.calls.some((c) => passesOn({ call: c }, result));
}

interface Retry {
  span: Span;
  what: string;
}

function retryOf(context: RuleContext, fn: FunctionFacts, path: FailurePath, call: Call): Retry | undefined {
  const ret = path.returns.find((r) => r.value && isRetryValue(r.value));
  if (ret) return { span: ret.span, what: `returns ${ret.value!.text}` };
  const set = path.assignments.find((a) => isRetryValue(a.rhs));
  if (set) return { span: set.span, what: `sets ${set.lhsExpr.text} = ${set.rhs.text}` };
  for (const jump of path.gotos) {
    const label = fn.labels.find((l) => l.name === jump.label);
    if (!label) continue;
    if (lineOf(label.span) < lineOf(call.span)) return { span: jump.span, what: `jumps back to ${jump.label} and maps again` };
    const found = valueReturnedAfter(fn, [...fn.assignments, ...openingFragments(context, fn).flatMap((f) => f.assignments)], label.span, jump);
    if (found) return found;
  }
  return undefined;
}

/** What the function returns after `label` when it gets there by `jump`: a retry status set beforehand. */
function valueReturnedAfter(fn: FunctionFacts, assignments: FunctionFacts['assignments'], label: Span, jump: Placed): Retry | undefined {
  const exit = fn.returns.filter((r) => lineOf(r.span) >= lineOf(label)).sort((a, b) => lineOf(a.span) - lineOf(b.span))[0];
  const value = exit?.value;
  if (!value) return undefined;
  if (isRetryValue(value)) return { span: exit.span, what: `jumps to a return of ${value.text}` };
  if (value.kind !== 'path') return undefined;
  const dominates = (a: Placed) => a.guards.every((g) => jump.guards.some((j) => j.id === g.id && j.positive === g.positive));
  const last = assignments
    .filter((a) => a.lhs === value.name && lineOf(a.span) < lineOf(jump.span) && dominates(a))
    .sort((a, b) => lineOf(a.span) - lineOf(b.span)).at(-1);
  return last && isRetryValue(last.rhs) ? { span: last.span, what: `returns ${value.text}, still ${last.rhs.text}` } : undefined;
}

/**
 * A hunk that starts at a function's opening brace parses outside any function: its facts (the
 * declarations at the top of the body) belong to the function its hunk header names.
 */
function openingFragments(context: RuleContext, fn: FunctionFacts): FunctionFacts[] {
  const headerNames = (f: FunctionFacts) => {
    const first = [...f.assignments, ...f.calls][0]?.span.lines[0];
    const hunk = first && context.file.file.hunks.find((h) => h.lines.includes(first));
    return !!hunk && FUNCTION_HEAD.exec(hunk.context)?.[1] === fn.name;
  };
  return fn.name ? context.functions.filter((f) => f.name === '' && headerNames(f)) : [];
}

/** Why the table may hold P2P pages: its taint, P2P identifiers in the file, or a known P2P consumer. */
function p2pEvidence(context: RuleContext, fn: FunctionFacts, call: Call): string | undefined {
  const table = call.args[1];
  const taint = table ? context.file.taintOf(fn).of(table) : undefined;
  if (taint) return `${table!.text} may hold P2P pages: ${taint.via}`;
  const marker = [...context.file.post.identifiers, ...context.file.pre.identifiers].find((id) => rolesOf(id).some((r) => P2P_ROLES.has(r.role)));
  return marker ? `the file handles P2P memory: ${marker}` : undefined;
}

/**
 * Whether a goto may end in a failure: its label is out of sight, or the first return after the
 * label gives something else than success (a constant 0, or nothing).
 */
function gotoMayFail(fn: FunctionFacts, label: string): boolean {
  const at = fn.labels.find((l) => l.name === label)?.span.lines[0]?.patchLine;
  if (at === undefined) return true;
  const next = fn.returns.filter((r) => (r.span.lines[0]?.patchLine ?? 0) > at)
    .sort((a, b) => a.span.lines[0]!.patchLine - b.span.lines[0]!.patchLine)[0];
  if (!next) return true;
  return !!next.value && !/^(0|BLK_STS_OK|true)$/.test(next.value.text);
}
