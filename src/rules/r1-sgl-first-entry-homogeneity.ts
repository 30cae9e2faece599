import { firstAdded } from '../analysis/file-analysis.js';
import type { Call, FunctionFacts, Span } from '../analysis/facts.js';
import { atoms } from '../analysis/expressions.js';
import { roleOf } from '../analysis/catalogue.js';
import { isLoggingCall } from '../analysis/result-use.js';
import { isBefore, describeEra } from '../analysis/kernel-era.js';
import {
  LIST_MAP_CALLS, LIST_UNMAP_CALLS, MAP_TYPE_CALLS, P2P_CARRYING_CALLS, P2P_PAGE_TESTS, SINGLE_MAP_CALLS,
} from '../analysis/p2p-api.js';
import type { Expr } from '../analysis/facts.js';
import type { Rule, RuleContext, RuleReport, RuleSuggestion } from './rule.js';

const MAPPING_CALLS = new Set([...LIST_MAP_CALLS, ...LIST_UNMAP_CALLS, ...SINGLE_MAP_CALLS.keys(), 'pci_p2pdma_bus_addr_map']);


export const r1: Rule = {
  meta: {
    id: 'R1',
    slug: 'p2p-sgl-first-entry-homogeneity',
    name: 'One P2P test for a whole list',
    defaultSeverity: 'warning',
    versions: 'pre-6.0: the sanctioned idiom, behind a homogeneity guarantee (info); 6.0+: obsolete and wrong (dma_map_sgtable() maps per entry); 6.17+: blk-mq-dma may look at the first segment because bios are homogeneous',
    summary: 'The P2P status of the first scatterlist entry or bvec decides how the whole list is mapped.',
    why: 'P2P-ness is a property of each page, and since 6.16 of each provider. Entry 0 proves nothing about the rest unless the producer guarantees it: a mixed list gets bus addresses for host pages, or an IOVA or plain phys for BAR pages.',
    firesWhen: [
      'is_pci_p2pdma_page(sg_page(X)) on a list head (sgl, sgt->sgl, req->sg, iod->sg) or bv[0]/req_bvec(req) chooses between two whole-list mapping calls',
      'the result of pci_p2pdma_state()/pci_p2pdma_map_type() for the first segment is cached and reused for every later segment of a new iterator, unless the input is a bio/request',
      'a p2pmem SGL (pci_p2pmem_alloc_sgl) is chained with host pages (sg_chain) and mapped with one call on a pre-6.0 target',
    ],
    mustNotFire: [
      'per-entry tests inside for_each_sg/for_each_sgtable_sg/bvec loops',
      'the core implementations (kernel/dma/direct.c, drivers/iommu/dma-iommu.c, drivers/pci/p2pdma.c, block/blk-mq-dma.c, block/bio.c)',
      'a first-entry test that only rejects P2P or only disables a fast path',
      "nvme-pci's !is_pci_p2pdma_page(bv.bv_page) guard on a single-bvec request",
      'pre-6.0 code in nvme-pci, nvmet or RDMA rw on lists from pci_p2pmem_alloc_sgl/nvmet_req_alloc_sgls (info at most)',
      'copies of the block-core iterators in another block-core file (global trap 1): blk_*map_iter* twins that walk bvecs already in a bio, write only local outputs and merge with biovec_phys_mergeable()',
    ],
    fix: 'P2P status is per page. On 6.0+ map the whole table with dma_map_sgtable() and handle -EREMOTEIO. On 6.16+ without scatterlists, call pci_p2pdma_state() for every range, or rely on blk_rq_dma_map_iter_*. Do not let entry 0 decide for the whole list.',
    references: [
      { messageId: '20200220100819.41860-1-maxg@mellanox.com', title: '[PATCH v2 1/2] RDMA/rw: fix error flow during RDMA context initialization' },
      { messageId: '20220708165104.5005-11-logang@deltatee.com', title: '[PATCH v8 10/13] nvme-pci: convert to using dma_map_sgtable()' },
      { messageId: '20250625113531.522027-2-hch@lst.de', title: "[PATCH 1/8] block: don't merge different kinds of P2P transfers in a single bio" },
    ],
    examples: {
      fires: "if (is_pci_p2pdma_page(sg_page(sgt->sgl)))\n\tnents = pci_p2pdma_map_sg_attrs(dev, sgt->sgl, sgt->orig_nents, dir, 0);\nelse\n\tnents = dma_map_sg_attrs(dev, sgt->sgl, sgt->orig_nents, dir, 0);",
      quiet: "for_each_sgtable_sg(sgt, sg, i)\n\tif (is_pci_p2pdma_page(sg_page(sg)))\n\t\tsg->dma_address = pci_p2pdma_bus_addr_map(&state, sg_phys(sg));",
    },
    triggers: ['is_pci_p2pdma_page', 'pci_p2pdma_state', 'pci_p2pdma_map_type', 'pci_p2pmem_alloc_sgl'],
  },

  check(context) {
    return context.functions.flatMap((fn) => [
      ...firstEntryDispatches(context, fn),
      ...cachedMapTypes(context, fn),
      ...chainedP2PLists(context, fn),
    ]);
  },
};

/**
 * R1 as a query over the value flow: a value derived from entry 0 of list L (a page predicate
 * of `sg_page(L)`, `L[0].bv_page`, `req_bvec(req)`, `bio_first_page_all(bio)`, through locals and
 * conversions) decides between two consumers of the whole of L, directly, stored in a local or a
 * struct flag and tested later, or as a ternary; or it parameterises one (attrs, a helper's flag).
 * Quiet: per-entry tests (the tested entry is the loop's own), tests that only reject (one arm
 * consumes nothing), and lists known to have one entry (a count of L equal to 1 holds there).
 */
interface FirstEntry {
  /** The list as written (`sgt->sgl`, `req`). */
  list: string;
  /** Its root variable (`sgt`, `req`): consumers of the list mention it. */
  root: string;
  /** A request or bio (block 6.17+ keeps bios homogeneous) or a scatterlist/bvec array. */
  kind: 'request' | 'list';
}

interface Decision {
  /** Guard id of the if/ternary that decides. */
  id: string;
  cond: Expr;
  /** The path the predicate was stored in, or undefined when the predicate call is in the condition. */
  via?: string;
  /** The function whose arms are judged (the flag may be tested in another function of the file). */
  fn: FunctionFacts;
  /** Root of the list in that function. */
  root: string;
}

function firstEntryDispatches(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  const reports: RuleReport[] = [];
  const flow = context.file.taintOf(fn);
  for (const test of fn.calls) {
    if (!P2P_PAGE_TESTS.has(test.name) || !test.args[0]) continue;
    const first = firstEntryOf(fn, test, flow.trace.bind(flow));
    if (!first) continue;
    for (const d of decisionsOf(context, fn, test, first)) {
      if (singleEntry(d, first, test)) continue;
      const p2pArm = armConsumers(d, true, test);
      const hostArm = armConsumers(d, false, test);
      // a local that each arm sets to its own value (`if (p2p) attrs = A; else attrs = 0;`) carries the decision
      const carrier = [...(d.via ? [d.via] : []), ...armSetLocals(d)].find((l) => consumersOfValue(d.fn, l, d.root, test).length > 0);
      const parameterised = carrier ? consumersOfValue(d.fn, carrier, d.root, test) : [];
      if ((p2pArm.length === 0 || hostArm.length === 0) && parameterised.length === 0) continue;
      // the decision point is the test (or the test of the flag it was stored in): a patch that only
      // changes an arm of an unchanged first-entry test introduces no new decision
      const decision = d.fn.ifs.find((g) => g.id === d.id);
      const conditionAdded = decision?.span.lines[0]?.kind === '+';
      const span = firstAdded(test.span) ? test.span : decision && conditionAdded && d.via ? decision.span : undefined;
      if (!span) continue;
      reports.push(report(context, fn, test, first, d, p2pArm, hostArm, parameterised, span, carrier));
      break;
    }
  }
  return reports;
}

function report(context: RuleContext, fn: FunctionFacts, test: Call, first: FirstEntry, d: Decision, p2pArm: Call[],
  hostArm: Call[], parameterised: Call[], span: Span, carrier?: string): RuleReport {
  const pre6 = isBefore(context.era, 6000);
  const unknownEra = context.era.source === 'default';
  const homogeneous = listOrigins(context, fn, test, first).homogeneous;
  const mixed = listOrigins(context, fn, test, first).mixed;
  const severity: RuleReport['severity'] = pre6 || unknownEra ? 'info'
    : first.kind === 'request' && !isBefore(context.era, 6017) ? 'info'
      : mixed ? 'error' : 'warning';
  const how = p2pArm.length && hostArm.length
    ? `decides between ${p2pArm[0]!.name}() and ${hostArm[0]!.name}() for the whole list`
    : `chooses how ${parameterised[0]!.name}() maps the whole list (through ${carrier ?? d.via})`;
  const stored = d.via ? ` (stored in ${d.via})` : "";
  return {
    span,
    function: fn.name,
    severity,
    era: describeEra(context.era),
    message: pre6
      ? `The first entry of ${first.list}${stored} ${how}: sanctioned before 6.0 only if every producer of ${first.list} ` +
        'hands out all-P2P or all-host lists' + (homogeneous ? ` (${homogeneous}: homogeneous by construction)` : '') + '.'
      : `The first entry of ${first.list}${stored} ${how}; P2P status is per page` +
        (first.kind === 'request' ? ' (before 6.17 a bio may mix P2P and host pages)' : ', and dma_map_sgtable() handles mixed lists entry by entry since 6.0') +
        (mixed ? `; this list can be mixed (${mixed})` : '') + '.',
    related: p2pArm.length && hostArm.length
      ? [
        { span: p2pArm[0]!.span, message: `P2P arm: ${p2pArm[0]!.name}() takes the whole list` },
        { span: hostArm[0]!.span, message: `host arm: ${hostArm[0]!.name}() takes the whole list` },
      ]
      : parameterised.slice(0, 1).map((c) => ({ span: c.span, message: `${c.name}() takes the whole list, parameterised by entry 0` })),
    suggestion: pre6 || carrier || d.via || !hostArm[0] || !test.conditionOf || d.fn !== fn ? undefined : keepHostArm(fn, test.conditionOf, hostArm[0]!),
  };
}

/** Entry 0 of a list, when the predicate's subject is one (through locals and conversions), not a loop's own entry. */
function firstEntryOf(fn: FunctionFacts, test: Call, trace: TraceFn): FirstEntry | undefined {
  const found = (x: Expr): FirstEntry | null | undefined => {
    if (x.kind === 'call') {
      const fe = roleOf(x.name!, 'first-entry');
      const arg = fe ? x.args[fe.of] : undefined;
      if (!fe || !arg) return undefined;
      if (arg.kind !== 'path' || arg.name!.includes('[]') || isLoopEntry(fn, test, arg.name!)) return null; // a loop's own entry
      return { list: arg.text.replace(/^&/, ''), root: rootOf(arg.name!), kind: fe.over };
    }
    if (x.kind === 'path') {
      // `bv[0].bv_page`, `bio->bi_io_vec[0].bv_page`: entry 0 of a bvec array
      const m = /^(.*)\[0\]\.bv_page$/.exec(x.name!);
      if (m) return { list: x.text.replace(/\[0\]\s*\.\s*bv_page$/, ''), root: rootOf(m[1]!), kind: 'list' };
    }
    return undefined;
  };
  const r = trace(test.args[0]!, test, (x) => { const v = found(x); return v === undefined ? undefined : v; });
  return r ?? undefined;
}

type TraceFn = <T>(e: Expr, point: Call, found: (x: Expr) => T | undefined) => T | undefined;

/** The path is the entry variable of an iterator loop around the test, or is advanced inside such a loop. */
function isLoopEntry(fn: FunctionFacts, test: Call, path: string): boolean {
  const root = rootOf(path);
  return test.loops.some((loop) => {
    const it = roleOf(loop.name, 'entry-iterator');
    if (it && loop.args[it.entry]?.paths.some((p) => rootOf(p) === root)) return true;
    return fn.assignments.some((a) => rootOf(a.lhs) === root && a.loops.some((l) => l.id === loop.id)) ||
      loop.args.some((h) => h.paths.some((p) => rootOf(p) === root) && h.text.includes('='));
  });
}

/** Where the predicate decides: its own if/ternary, or the tests of the local or struct flag it was stored in. */
function decisionsOf(context: RuleContext, fn: FunctionFacts, test: Call, first: FirstEntry): Decision[] {
  const out: Decision[] = [];
  const holds = (cond: Expr) => cond.callNames.includes(test.name) && cond.text.includes(test.expr.text);
  for (const g of fn.ifs) if (holds(g.cond)) out.push({ id: g.id, cond: g.cond, fn, root: first.root });
  const stored = test.assignedTo ?? fn.assignments.find((a) => a.rhs.text.includes(test.expr.text) && a.rhs.callNames.includes(test.name))?.lhs;
  if (stored) {
    for (const g of fn.ifs) if (g.cond.paths.includes(stored)) out.push({ id: g.id, cond: g.cond, via: stored, fn, root: first.root });
    const field = stored.includes('.') ? stored.slice(stored.lastIndexOf('.')) : undefined;
    if (field) {
      // a struct flag tested in another function of the file: the object's root there is the flag's root
      for (const other of context.functions) {
        if (other === fn) continue;
        for (const g of other.ifs) {
          const p = g.cond.paths.find((x) => x.endsWith(field) && x.includes('.'));
          if (p) out.push({ id: g.id, cond: g.cond, via: p, fn: other, root: rootOf(p) });
        }
      }
    }
    if (!out.some((d) => d.via)) out.push({ id: '', cond: test.expr, via: stored, fn, root: first.root });
  }
  return out;
}

/** The decision or a guard around the test says the list has one entry (entry 0 is the whole list). */
function singleEntry(d: Decision, first: FirstEntry, test: Call): boolean {
  const conds = [d.cond, ...test.guards.map((g) => g.cond)];
  const counts = countsOf(d.fn, d.root);
  return conds.some((c) => atoms(c, true).some((a) => a.positive && isOneEntry(a.expr, counts)) ||
    test.guards.some((g) => g.kind !== 'case' && atoms(g.cond, g.positive).some((a) => a.positive && isOneEntry(a.expr, counts))));
}

/** Paths passed as the entry count of the list to its consumers (`dma_map_sg(dev, sgl, nents, dir)`). */
function countsOf(fn: FunctionFacts, root: string): Set<string> {
  const out = new Set<string>();
  for (const c of fn.calls) {
    const r = roleOf(c.name, 'list-map') ?? roleOf(c.name, 'list-unmap');
    if (!r || r.count === undefined) continue;
    const list = c.args[r.list];
    const count = c.args[r.count];
    if (list?.paths.some((p) => rootOf(p) === root) && count?.kind === 'path') out.add(count.name!);
  }
  return out;
}

function isOneEntry(e: Expr, counts: ReadonlySet<string>): boolean {
  if (e.kind !== 'binary' || !['==', '<='].includes(e.name!) || e.args.length !== 2) return false;
  const [a, b] = e.args as [Expr, Expr];
  const one = (x: Expr) => x.kind === 'number' && x.text.trim() === '1';
  const count = one(a) ? b : one(b) ? a : undefined;
  if (!count) return false;
  if (count.kind === 'call') return !!roleOf(count.name!, 'entry-count');
  if (count.kind !== 'path') return false;
  const last = count.name!.slice(count.name!.lastIndexOf('.') + 1);
  return counts.has(count.name!) || (count.name!.includes('.') && !!roleOf(last, 'entry-count'));
}

/**
 * Calls that take the whole list in the arm of `d` where the predicate is `p2p`. When only one
 * arm's polarity can be read (`!p2p && x` is known true in the then-arm only), the other arm is
 * the opposite one: the first entry still decides which mapping runs.
 */
function armConsumers(d: Decision, p2p: boolean, test: Call): Call[] {
  if (!d.id) return [];
  const thenArm = armIsP2P(d, true);
  const elseArm = armIsP2P(d, false);
  const polarity = (positive: boolean): boolean | undefined =>
    (positive ? thenArm ?? (elseArm === undefined ? undefined : !elseArm) : elseArm ?? (thenArm === undefined ? undefined : !thenArm));
  return d.fn.calls.filter((c) => c !== test && c.guards.some((g) => g.id === d.id && polarity(g.positive) === p2p) &&
    consumesList(c, d.root)).sort((a, b) => Number(MAPPING_CALLS.has(b.name)) - Number(MAPPING_CALLS.has(a.name)));
}

/** Whether the arm where the decision's condition is `positive` is the arm where the predicate holds. */
function armIsP2P(d: Decision, positive: boolean): boolean | undefined {
  // the predicate itself (or what holds it), never a compound that contains it (`!p && x` on its false side)
  const leaf = (x: Expr) => x.kind === 'call' || x.kind === 'path';
  const subject = (x: Expr) => leaf(x) && (d.via ? x.paths.includes(d.via) : x.callNames.includes(PREDICATE_NAME(d)) && !x.text.startsWith('!'));
  const atom = atoms(d.cond, positive).find((a) => subject(a.expr) || (!d.via && a.expr.kind === 'call' && P2P_PAGE_TESTS.has(a.expr.name!)));
  return atom ? atom.positive : undefined;
}

function PREDICATE_NAME(d: Decision): string {
  return d.cond.callNames.find((n) => P2P_PAGE_TESTS.has(n)) ?? '';
}

/**
 * A consumer of the whole list: a mapping call or any helper (unknown or the patch's own) given
 * the list, or given the entry of a loop that walks the list (the loop takes every entry).
 */
function consumesList(c: Call, root: string): boolean {
  if (roleOf(c.name, 'carrier') || roleOf(c.name, 'first-entry') || roleOf(c.name, 'entry-count') || P2P_PAGE_TESTS.has(c.name) ||
    roleOf(c.name, 'entry-iterator') || isLoggingCall(c.name)) return false;
  if (MAPPING_CALLS.has(c.name)) return true;
  const roots = new Set([root]);
  for (const loop of c.loops) {
    const it = roleOf(loop.name, 'entry-iterator');
    const entry = it ? loop.args[it.entry] : undefined;
    if (it && entry?.kind === 'path' && loop.args[it.list]?.paths.some((p) => rootOf(p) === root)) roots.add(rootOf(entry.name!));
  }
  return c.args.some((a) => a.paths.some((p) => roots.has(rootOf(p))));
}

/** Consumers of the list that receive the stored predicate (or a value computed from it, such as attrs). */
/** Locals assigned in both arms of the decision (its then arm and its else arm). */
function armSetLocals(d: Decision): string[] {
  if (!d.id) return [];
  const inArm = (positive: boolean) => new Set(d.fn.assignments.filter((a) => !a.lhs.includes('.') && a.op === '=' &&
    a.guards.some((g) => g.id === d.id && g.positive === positive && g.kind !== 'early-exit')).map((a) => a.lhs));
  const then = inArm(true);
  return [...inArm(false)].filter((l) => then.has(l));
}

function consumersOfValue(fn: FunctionFacts, via: string, root: string, test: Call): Call[] {
  const derived = new Set([via]);
  for (const a of fn.assignments) if (a.rhs.paths.includes(via) && a.rhs.kind !== 'call') derived.add(a.lhs);
  return fn.calls.filter((c) => c !== test && consumesList(c, root) && c.args.some((a) => a.paths.some((p) => derived.has(p))));
}

/** What the flow knows of the list: homogeneous by construction, or visibly mixed. */
function listOrigins(context: RuleContext, fn: FunctionFacts, test: Call, first: FirstEntry): { homogeneous?: string; mixed?: string } {
  const all = context.file.taintOf(fn).at(test).all({ kind: 'path', name: first.list.replace(/->/g, '.').replace(/\s/g, ''), text: first.list, args: [], paths: [], callNames: [], identifiers: [] } as Expr);
  const sgl = all.find((t) => t.produces === 'p2p-sgl');
  const gup = all.find((t) => t.origin === 'gup');
  return { homogeneous: sgl ? `from ${sgl.via}` : undefined, mixed: gup ? gup.via : undefined };
}

function rootOf(path: string): string {
  return path.replace(/^&/, '').split('.')[0]!.replace(/\[[^\]]*\]/g, '');
}

/**
 * On 6.0+ the host arm's whole-list call maps P2P entries itself: `if (p2p) A; else B;` becomes
 * `B;` when the else arm is the host arm, a single statement ending the if.
 */
function keepHostArm(fn: FunctionFacts, ifId: string, host: Call): RuleSuggestion | undefined {
  const decision = fn.ifs.find((g) => g.id === ifId);
  const inElse = host.guards.some((g) => g.id === ifId && g.kind === 'else');
  const hostLines = host.span.lines;
  if (!decision || !inElse || decision.span.lines.at(-1) !== hostLines.at(-1)) return undefined;
  const first = decision.span.lines.indexOf(hostLines[0]!);
  if (first < 1 || !/^\s*else\s*$/.test(decision.span.lines[first - 1]!.text)) return undefined;
  const indent = /^\s*/.exec(decision.span.lines[0]!.text)![0];
  return {
    title: `Use ${host.name}() for the whole list (since 6.0 it handles P2P entries itself)`,
    replace: decision.span.lines,
    lines: hostLines.map((l) => (l.text.startsWith(`${indent}\t`) ? indent + l.text.slice(indent.length + 1) : l.text)),
  };
}

function cachedMapTypes(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  if (fn.params.some((p) => /struct\s+(request|bio)\b/.test(p.type))) return [];
  const reports: RuleReport[] = [];
  for (const state of fn.calls) {
    if (!MAP_TYPE_CALLS.has(state.name) || state.loops.length > 0 || !state.assignedTo) continue;
    const cached = state.assignedTo;
    const reuses = fn.calls.filter((c) =>
      c.loops.length > 0 && MAPPING_CALLS.has(c.name) &&
      c.guards.some((g) => g.cond.paths.includes(cached)) &&
      !fn.calls.some((s) => MAP_TYPE_CALLS.has(s.name) && s.loops.some((l) => c.loops.some((cl) => cl.id === l.id))));
    if (reuses.length === 0) continue;
    const span = [state.span, ...reuses.map((r) => r.span)].find((s) => firstAdded(s));
    if (!span) continue;
    reports.push({
      span,
      function: fn.name,
      era: describeEra(context.era),
      message: `The P2P map type of the first segment (${state.name}() stored in ${cached}) is reused for every later segment of the loop; ` +
        'each physically distinct range needs its own pci_p2pdma_state().',
      related: reuses.slice(0, 2).map((r) => ({ span: r.span, message: `${r.name}() uses the cached map type` })),
    });
  }
  return reports;
}

function chainedP2PLists(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  if (!isBefore(context.era, 6000)) return [];
  const taint = context.file.taintOf(fn);
  const reports: RuleReport[] = [];
  for (const chain of fn.calls.filter((c) => c.name === 'sg_chain')) {
    const ends = [chain.args[0], chain.args[2]].map((a) => (a ? taint.of(a)?.origin : undefined));
    if ((ends[0] === 'p2pmem') === (ends[1] === 'p2pmem')) continue;
    const mapped = fn.calls.find((c) => LIST_MAP_CALLS.has(c.name));
    if (!mapped || !firstAdded(chain.span)) continue;
    reports.push({
      span: chain.span,
      function: fn.name,
      era: describeEra(context.era),
      message: `sg_chain() joins a pci_p2pmem_alloc_sgl() list with host pages, and ${mapped.name}() maps the mixed list with one call.`,
      related: [{ span: mapped.span, message: `${mapped.name}() maps the chained list` }],
    });
  }
  return reports;
}

