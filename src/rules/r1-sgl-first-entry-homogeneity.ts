import { firstAdded } from '../analysis/file-analysis.js';
import type { Call, FunctionFacts } from '../analysis/facts.js';
import { isBefore, describeEra } from '../analysis/kernel-era.js';
import {
  LIST_MAP_CALLS, LIST_UNMAP_CALLS, MAP_TYPE_CALLS, P2P_CARRYING_CALLS, SINGLE_MAP_CALLS, isEntryIterator,
} from '../analysis/p2p-api.js';
import type { Expr } from '../analysis/facts.js';
import type { Rule, RuleContext, RuleReport, RuleSuggestion } from './rule.js';

const MAPPING_CALLS = new Set([...LIST_MAP_CALLS, ...LIST_UNMAP_CALLS, ...SINGLE_MAP_CALLS.keys(), 'pci_p2pdma_bus_addr_map']);

/** Producers that hand out homogeneous lists before 6.0 (spec R1 "must not fire", last bullet). */
const HOMOGENEOUS_PRE_6_0 = /(^|\/)(drivers\/nvme\/|drivers\/infiniband\/core\/rw\.c$)/;

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

function firstEntryDispatches(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  const reports: RuleReport[] = [];
  for (const test of fn.calls) {
    if (test.name !== 'is_pci_p2pdma_page' || !test.conditionOf || test.loops.length > 0) continue;
    const head = listHead(test.args[0]);
    if (!head) continue;
    const p2pArm = armCalls(fn, test.conditionOf, !isNegated(fn, test));
    const hostArm = armCalls(fn, test.conditionOf, isNegated(fn, test));
    if (p2pArm.length === 0 || hostArm.length === 0) continue; // only rejects P2P or only skips a fast path
    const span = firstAdded(test.span) ? test.span : [...p2pArm, ...hostArm].find((c) => firstAdded(c.span))?.span;
    if (!span) continue;
    const pre6 = isBefore(context.era, 6000);
    const homogeneous = pre6 && HOMOGENEOUS_PRE_6_0.test(context.file.path);
    reports.push({
      span,
      function: fn.name,
      severity: pre6 ? 'info' : 'warning',
      era: describeEra(context.era),
      message: pre6
        ? `The first entry of ${head} decides between ${p2pArm[0]!.name}() and ${hostArm[0]!.name}() for the whole list: ` +
          `sanctioned before 6.0 only if every producer of ${head} hands out all-P2P or all-host lists` +
          (homogeneous ? ' (this path takes lists from nvmet/nvme-pci, homogeneous by construction)' : '') + '.'
        : `The first entry of ${head} decides between ${p2pArm[0]!.name}() and ${hostArm[0]!.name}() for the whole list; ` +
          'P2P status is per page, and dma_map_sgtable() handles mixed lists entry by entry since 6.0.',
      related: [
        { span: p2pArm[0]!.span, message: `P2P arm: ${p2pArm[0]!.name}() takes the whole list` },
        { span: hostArm[0]!.span, message: `host arm: ${hostArm[0]!.name}() takes the whole list` },
      ],
      suggestion: pre6 ? undefined : keepHostArm(fn, test.conditionOf, hostArm[0]!),
    });
  }
  return reports;
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

/** `sg_page(list)` or `bv[0].bv_page`: the list head whose first entry is tested, not a loop entry. */
function listHead(arg: Expr | undefined): string | undefined {
  if (!arg) return undefined;
  if (arg.kind === 'call' && P2P_CARRYING_CALLS.has(arg.name!) && arg.args[0]?.kind === 'path') return arg.args[0].text;
  if (arg.kind === 'path' && /\[0\]\.bv_page$/.test(arg.name!)) return arg.text.replace(/\.bv_page$/, '');
  if (arg.kind === 'path' && /\.bv_page$/.test(arg.name!)) return undefined; // a single bvec: fast-path guard
  return undefined;
}

function isNegated(fn: FunctionFacts, test: Call): boolean {
  const cond = fn.ifs.find((g) => g.id === test.conditionOf)?.cond;
  return !!cond && cond.kind === 'unary' && cond.name === '!';
}

/** Mapping calls that run when the if's condition is `positive` (its arm, or after its early exit). */
function armCalls(fn: FunctionFacts, ifId: string, positive: boolean): Call[] {
  return fn.calls.filter((c) => MAPPING_CALLS.has(c.name) && c.guards.some((g) => g.id === ifId && g.positive === positive));
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

