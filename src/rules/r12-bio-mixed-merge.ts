import { matchesAny, writesBioVector } from '../analysis/core-files.js';
import { firstAdded } from '../analysis/file-analysis.js';
import type { Assignment, Expr, FunctionFacts, Guard } from '../analysis/facts.js';
import { guardAtoms, provesNotP2P } from '../analysis/guards.js';
import { describeEra, isBefore } from '../analysis/kernel-era.js';
import { P2P_GUP_FLAGS, P2P_PAGE_TESTS } from '../analysis/p2p-api.js';
import type { Rule, RuleContext, RuleReport, Severity } from './rule.js';

/** Paths whose bios may carry P2P pages from user space (O_DIRECT) whenever the queue allows it. */
const BIO_BUILDERS = [/^block\//, /^fs\/iomap\//, /^fs\/direct-io\.c$/];
/** Elsewhere (md/dm, drivers) the file itself must show that P2P reaches it. */
const DRIVERS = [/^drivers\//];
const P2P_MARKERS = new Set([
  ...P2P_GUP_FLAGS, ...P2P_PAGE_TESTS, 'BLK_FEAT_PCI_P2PDMA', 'QUEUE_FLAG_PCI_P2PDMA', 'blk_queue_pci_p2pdma', 'REQ_P2PDMA',
  'pci_p2pdma_state', 'p2p_dev',
]);
/** Checks that keep pages of two providers (or P2P and host) apart, or helpers that contain one. */
const PGMAP_CHECKS = new Set([
  'zone_device_pages_have_same_pgmap', ...P2P_PAGE_TESTS, 'pci_p2pdma_state', 'bvec_try_merge_page', 'bvec_try_merge_hw_page',
  'page_is_mergeable',
]);
/** What a physical-contiguity merge decision computes. */
const PHYS_CALLS = new Set([
  'page_to_phys', 'bvec_phys', 'page_to_pfn', 'folio_pfn', 'PFN_PHYS', 'virt_to_phys', 'page_address', 'sg_phys',
  'biovec_phys_mergeable',
]);
const NOMERGE = new Set(['REQ_NOMERGE', 'REQ_NOMERGE_FLAGS']);

export const r12: Rule = {
  meta: {
    id: 'R12',
    slug: 'p2p-bio-mixed-merge',
    name: 'Block-layer merging across P2P boundaries',
    defaultSeverity: 'warning',
    versions: 'before 6.17 the invariant does not exist, so the risk is latent (info; bios carry no user P2P pages before 6.2); 6.17: __bio_add_page() marks P2P bios REQ_P2PDMA | REQ_NOMERGE; 6.18: the bio gets only REQ_NOMERGE (REQ_P2PDMA moves to the request); 6.19+: REQ_P2PDMA is gone, REQ_NOMERGE plus the same-pgmap checks are the whole invariant',
    summary: 'Bio-building code adds or merges a page into a bio without the same-pgmap check, or strips the P2P marker (REQ_NOMERGE) from bios.',
    why: 'blk-mq-dma decides the route once per request, which is only valid if a bio never mixes P2P with host pages or two providers. Two things break the invariant: bio-building code that skips zone_device_pages_have_same_pgmap(), and a bio-splitting or cloning helper that drops the P2P marker.',
    firesWhen: [
      'new or changed code in block/, fs/iomap, fs/direct-io.c, md/dm or a driver builds bios on a queue that can carry P2P (writes bio->bi_io_vec[...]/bip->bip_vec[...], or extends a bvec pointer such as one from __bio_add_page/bvec_try_merge_*) and merges a page into it without zone_device_pages_have_same_pgmap()',
      'the version\'s marker is stripped when splitting, cloning or rebuilding bi_opf: REQ_NOMERGE (on 6.17 REQ_P2PDMA | REQ_NOMERGE)',
    ],
    mustNotFire: [
      'the helpers in block/bio.c and block/bio-integrity.c that already contain zone_device_pages_have_same_pgmap',
      'mapping-time DMA-segment coalescing of bvecs already in a bio, in any file: length arithmetic on a local struct bio_vec copy (bv.bv_len += next.bv_len) after biovec_phys_mergeable(), with nothing written into bi_io_vec/bip_vec (blk_map_iter_next(), blk_rq_integrity_map_iter_next(), __blk_rq_map_sg() and copies of them)',
      'before 6.2 (no user P2P pages in bios)',
    ],
    fix: 'A bio must contain either only non-P2P pages or P2P pages from a single provider. Check zone_device_pages_have_same_pgmap() before merging or adding, start a new bio otherwise, and keep REQ_NOMERGE on bios that hold P2P pages.',
    references: [
      { messageId: '20250625113531.522027-2-hch@lst.de', title: "[PATCH 1/8] block: don't merge different kinds of P2P transfers in a single bio" },
      { messageId: '20260119074425.4005867-3-hch@lst.de', title: '[PATCH 02/14] block: open code bio_add_page and fix handling of mismatching P2P ranges' },
    ],
    examples: {
      path: 'block/blk-example.c',
      fires: 'if (page_to_phys(bv->bv_page) + bv->bv_offset + bv->bv_len == page_to_phys(page) + off)\n\tbv->bv_len += len;',
      quiet: 'if (page_to_phys(bv->bv_page) + bv->bv_offset + bv->bv_len == page_to_phys(page) + off &&\n    zone_device_pages_have_same_pgmap(bv->bv_page, page))\n\tbv->bv_len += len;',
    },
    triggers: ['bv_len', 'biovec_phys_mergeable', ...NOMERGE],
    // global trap 1: in core files R12 still checks bio construction (never mapping-time coalescing, in any file)
    checksCoreFiles: true,
  },

  check(context) {
    if (isBefore(context.era, 6002) || !canCarryP2P(context)) return [];
    return context.functions.flatMap((fn) => [...unguardedMerges(context, fn), ...strippedNoMerge(context, fn)]);
  },
};

function canCarryP2P(context: RuleContext): boolean {
  const path = context.file.path;
  if (matchesAny(path, BIO_BUILDERS)) return true;
  if (!matchesAny(path, DRIVERS)) return false;
  const { post, pre } = context.file;
  return [...P2P_MARKERS].some((m) => post.identifiers.has(m) || pre.identifiers.has(m));
}

/** `bv->bv_len += len` decided by physical contiguity, with no same-pgmap check in the function. */
function unguardedMerges(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  if (fn.calls.some((c) => PGMAP_CHECKS.has(c.name))) return [];
  const physical = physicalValues(fn);
  const builds = buildsBio(fn);
  return fn.assignments
    .filter((a) => extendsBvec(a) && firstAdded(a.span) && (builds || !extendsLocalCopy(fn, a)))
    .flatMap((a) => {
      const decision = a.guards.find((g) => g.kind !== 'case' && decidesContiguity(g, physical));
      if (!decision || provesNotP2P(a.guards)) return [];
      return [{
        span: a.span,
        function: fn.name,
        severity: severityFor(context),
        era: describeEra(context.era),
        message: `${a.lhsExpr.text} ${a.op} ${a.rhs.text} merges a physically contiguous page into the bvec without ` +
          'zone_device_pages_have_same_pgmap(); a P2P page and a host page (or two providers) would share one bvec and one DMA route.',
        related: [{ span: decision.span, message: 'contiguity decision without a pgmap check' }],
      }];
    });
}

// issue 14 spec revision (R12: bio construction only)
/** The function writes a bio's or integrity payload's vector or flags (global trap 1 (c)): it builds bios. */
function buildsBio(fn: FunctionFacts): boolean {
  return fn.assignments.some(writesBioVector);
}

/**
 * `bv.bv_len += next.bv_len` on a local `struct bio_vec` copy: mapping-time coalescing of bvecs
 * already in a bio (blk_map_iter_next() and its copies), which runs after construction.
 */
function extendsLocalCopy(fn: FunctionFacts, a: Assignment): boolean {
  const base = /^\s*(\w+)\s*\.\s*bv_len$/.exec(a.lhsExpr.text)?.[1];
  return base !== undefined && !!fn.locals?.some((l) => l.name === base && /\bbio_vec\b/.test(l.type));
}
// end issue 14 spec revision

function extendsBvec(a: Assignment): boolean {
  if (!/(^|\.)bv_len$/.test(a.lhs)) return false;
  return a.op === '+=' || (a.op === '=' && a.rhs.kind === 'binary' && a.rhs.name === '+' && a.rhs.paths.includes(a.lhs));
}

/** Locals computed from physical addresses or pfns (`vec_end_addr = page_to_phys(...) + ...`). */
function physicalValues(fn: FunctionFacts): Set<string> {
  return new Set(fn.assignments.filter((a) => a.rhs.callNames.some((n) => PHYS_CALLS.has(n))).map((a) => a.lhs));
}

function decidesContiguity(g: Guard, physical: ReadonlySet<string>): boolean {
  return g.cond.callNames.some((n) => PHYS_CALLS.has(n)) || g.cond.paths.some((p) => physical.has(p));
}

function severityFor(context: RuleContext): Severity {
  return isBefore(context.era, 6017) ? 'info' : 'warning';
}

/** `bio->bi_opf &= ~REQ_NOMERGE` (6.17+: P2P bios carry REQ_P2PDMA | REQ_NOMERGE). */
function strippedNoMerge(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  if (isBefore(context.era, 6017)) return [];
  return fn.assignments
    .filter((a) => firstAdded(a.span) && clearsNoMerge(a) && !awareOfP2P(a.guards))
    .map((a) => ({
      span: a.span,
      function: fn.name,
      era: describeEra(context.era),
      message: `${a.lhsExpr.text} ${a.op} ${a.rhs.text} strips REQ_NOMERGE, which marks P2P bios (${bioMarker(context)}); ` +
        'a merged request could then mix P2P and host pages, or two providers.',
    }));
}

// issue 14 spec revision (R12: the P2P marker per version)
/** What marks a bio holding P2P pages: REQ_P2PDMA | REQ_NOMERGE on 6.17 only, REQ_NOMERGE from 6.18 on. */
function bioMarker(context: RuleContext): string {
  if (isBefore(context.era, 6018)) return 'REQ_P2PDMA | REQ_NOMERGE on 6.17';
  if (context.era.min !== undefined && context.era.min >= 6018) return 'REQ_NOMERGE from 6.18 on';
  return 'REQ_NOMERGE; on 6.17 also REQ_P2PDMA';
}
// end issue 14 spec revision

function clearsNoMerge(a: Assignment): boolean {
  const cleared = (e: Expr): boolean => e.kind === 'unary' && e.name === '~' && e.identifiers.some((i) => NOMERGE.has(i));
  const masksOut = (e: Expr): boolean => e.kind === 'binary' &&
    ((e.name === '&' && e.args.some(cleared)) || ((e.name === '|' || e.name === '&') && e.args.some(masksOut)));
  if (a.op === '&=') return cleared(a.rhs);
  return a.op === '=' && masksOut(a.rhs);
}

function awareOfP2P(guards: readonly Guard[]): boolean {
  return !!provesNotP2P(guards) || guardAtoms(guards).some((a) => a.expr.identifiers.includes('REQ_P2PDMA'));
}
