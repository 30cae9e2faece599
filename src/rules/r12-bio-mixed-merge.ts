import { matchesAny } from '../analysis/core-files.js';
import { writesBioVector } from '../analysis/core-iterator.js';
import { firstAdded } from '../analysis/file-analysis.js';
import type { Assignment, Expr, FunctionFacts, Guard } from '../analysis/facts.js';
import { guardAtoms, provesNotP2P, provesP2P } from '../analysis/guards.js';
import { describeEra, isBefore, surelyAtLeast } from '../analysis/kernel-era.js';
import { namesWith, roleOf } from '../analysis/catalogue.js';
import { exclusive, position } from '../analysis/map-pairing.js';
import type { TaintView } from '../analysis/file-analysis.js';
import type { Taint } from '../analysis/value-flow.js';
import { P2P_GUP_FLAGS, P2P_PAGE_TESTS } from '../analysis/p2p-api.js';
import type { Rule, RuleContext, RuleReport, Severity } from './rule.js';

type Placed = Pick<Assignment, 'span' | 'guards' | 'loops'>;

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
// issue 14 R12 (api2): direct writes into a bio's vector, and the core's bio builders (catalogue role bio-add)
/** Writers whose rows say they fill a bio and mark it (the core's bio_add_page() family). */
const BIO_FILL_TRIGGERS = ['bi_io_vec', ...namesWith('bio-add')].sort();
const P2PDMA_FLAG = 'REQ_P2PDMA';

export const r12: Rule = {
  meta: {
    id: 'R12',
    slug: 'p2p-bio-mixed-merge',
    name: 'Block-layer merging across P2P boundaries',
    defaultSeverity: 'warning',
    versions: 'before 6.17 the invariant does not exist, so the risk is latent (info; bios carry no user P2P pages before 6.2); 6.17: __bio_add_page() marks P2P bios REQ_P2PDMA | REQ_NOMERGE; 6.18: the bio gets only REQ_NOMERGE (REQ_P2PDMA moves to the request); 6.19+: REQ_P2PDMA is gone, REQ_NOMERGE plus the same-pgmap checks are the whole invariant',
    summary: 'Bio-building code adds or merges a page into a bio without the same-pgmap check, or strips or omits the P2P marker (REQ_NOMERGE) on bios.',
    why: 'blk-mq-dma decides the route once per request, which is only valid if a bio never mixes P2P with host pages or two providers. Two things break the invariant: bio-building code that skips zone_device_pages_have_same_pgmap(), and a bio-splitting or cloning helper that drops the P2P marker.',
    firesWhen: [
      'new or changed code in block/, fs/iomap, fs/direct-io.c, md/dm or a driver builds bios on a queue that can carry P2P (writes bio->bi_io_vec[...]/bip->bip_vec[...], or extends a bvec pointer such as one from __bio_add_page/bvec_try_merge_*) and merges a page into it without zone_device_pages_have_same_pgmap()',
      'the version\'s marker is stripped when splitting, cloning or rebuilding bi_opf: REQ_NOMERGE (on 6.17 REQ_P2PDMA | REQ_NOMERGE)',
      'a bio that holds a P2P page is left without the version\'s marker (6.17+): the page is written into its bi_io_vec directly (bvec_set_page() on &bio->bi_io_vec[...], a bv_page store) with no REQ_NOMERGE (on 6.17 REQ_P2PDMA | REQ_NOMERGE) set on that bio on the path, or bi_opf is rebuilt without REQ_NOMERGE after bio_add_page() put a P2P page in',
    ],
    mustNotFire: [
      'the helpers in block/bio.c and block/bio-integrity.c that already contain zone_device_pages_have_same_pgmap',
      'mapping-time DMA-segment coalescing of bvecs already in a bio, in any file: length arithmetic on a local struct bio_vec copy (bv.bv_len += next.bv_len) after biovec_phys_mergeable(), with nothing written into bi_io_vec/bip_vec (blk_map_iter_next(), blk_rq_integrity_map_iter_next(), __blk_rq_map_sg() and copies of them)',
      'before 6.2 (no user P2P pages in bios)',
      'before 6.17 for the marker (bios carry none), and bios filled through __bio_add_page()/bio_add_page()/bio_add_folio(), which set the marker themselves from 6.17',
      'the marker set on the bio by the function, by a helper of the patch it hands the bio to, or by every caller in the patch that passes the bio in; a bio written only on a path that proves the page is not P2P',
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
    triggers: ['bv_len', 'biovec_phys_mergeable', ...NOMERGE, ...BIO_FILL_TRIGGERS],
    // global trap 1: in core files R12 still checks bio construction (never mapping-time coalescing, in any file)
    checksCoreFiles: true,
  },

  check(context) {
    if (isBefore(context.era, 6002)) return [];
    // issue 14 R12 (api2): the P2P page itself is the evidence that the bio can hold P2P
    const unmarked = context.functions.flatMap((fn) => unmarkedP2PBios(context, fn));
    if (!canCarryP2P(context)) return unmarked;
    return [...context.functions.flatMap((fn) => [...unguardedMerges(context, fn), ...strippedNoMerge(context, fn)]), ...unmarked];
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

// issue 14 R12 (api2): a bio that holds a P2P page left without the version's marker

interface BioWrite {
  point: Placed;
  bio: string;
  page: Expr;
  text: string;
}

/** `&bio->bi_io_vec[i]` (or a local pointing there): the bio whose vector it is. */
function bioOfVector(taint: TaintView, e: Expr, point: Placed): string | undefined {
  return taint.trace(e, point, (x) => (x.kind === 'path' ? /^(.+)\.bi_io_vec$/.exec(norm(x.name!))?.[1] : undefined));
}

function norm(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '');
}

/** Pages put into a bio's vector by a writer that does not mark the bio (bvec_set_page(), a bv_page store). */
function directWrites(fn: FunctionFacts, taint: TaintView): BioWrite[] {
  const out: BioWrite[] = [];
  for (const c of fn.calls) {
    const w = roleOf(c.name, 'writer');
    if (!w || roleOf(c.name, 'bio-add')) continue;
    const target = c.args[w.target];
    const page = c.args[w.from];
    const bio = target && page ? bioOfVector(taint, target, c) : undefined;
    if (bio && page) out.push({ point: c, bio, page, text: `${c.name}(${target!.text}, ${page.text}, ...)` });
  }
  for (const a of fn.assignments) {
    const vec = /^(.+)\.bv_page$/.exec(norm(a.lhs))?.[1];
    if (a.op !== '=' || !vec) continue;
    const bio = /^(.+)\.bi_io_vec$/.exec(vec)?.[1] ?? bioOfVector(taint, { ...a.lhsExpr, kind: 'path', name: vec }, a);
    if (bio) out.push({ point: a, bio, page: a.rhs, text: `${a.lhsExpr.text} = ${a.rhs.text}` });
  }
  return out;
}

/** `e` is (or was set from, or had OR-ed in on a path to `point`) an expression naming `flag`. */
function carries(fn: FunctionFacts, taint: TaintView, e: Expr, point: Placed, flag: string): boolean {
  if (taint.trace(e, point, (x) => (x.identifiers.includes(flag) ? true : undefined))) return true;
  return e.kind === 'path' && fn.assignments.some((a) => a.op === '|=' && norm(a.lhs) === norm(e.name!) &&
    position(a.span) < position(point.span) && !exclusive(a.guards, point.guards) && carries(fn, taint, a.rhs, a, flag));
}

/** The flags set on `bio` in `fn` on a path that can reach `point` (bi_opf stores, bio_alloc/bio_init opf, patch helpers). */
function markersOn(context: RuleContext, fn: FunctionFacts, bio: string, point: Placed | undefined, depth = 0): Set<string> {
  const taint = context.file.taintOf(fn);
  const out = new Set<string>();
  const reaches = (p: Placed) => !point || !exclusive(p.guards, point.guards);
  const note = (e: Expr, p: Placed) => { for (const f of [...NOMERGE, P2PDMA_FLAG]) if (carries(fn, taint, e, p, f)) out.add(f === 'REQ_NOMERGE_FLAGS' ? 'REQ_NOMERGE' : f); };
  for (const a of fn.assignments) {
    if (norm(a.lhs) === `${bio}.bi_opf` && (a.op === '|=' || a.op === '=') && reaches(a)) note(a.rhs, a);
  }
  for (const c of fn.calls) {
    if (!reaches(c)) continue;
    const at = c.args.findIndex((x) => x.kind === 'path' && norm(x.name!) === bio);
    if (c.assignedTo !== undefined && norm(c.assignedTo) === bio) for (const x of c.args) note(x, c);
    else if (at >= 0) {
      for (const x of c.args) if (x !== c.args[at]) note(x, c);
      const helper = depth < 2 ? context.file.flow.functionNamed(c.name) : undefined;
      const param = helper && helper !== fn ? helper.params[at]?.name : undefined;
      if (param) for (const f of markersOn(context, helper!, param, undefined, depth + 1)) out.add(f);
    }
  }
  return out;
}

/** The bio is a parameter of `fn` and every call of `fn` in the patch passes a bio its caller marks. */
function markedByCallers(context: RuleContext, fn: FunctionFacts, bio: string): Set<string> | undefined {
  const index = fn.params.findIndex((p) => p.name === bio);
  if (index < 0) return undefined;
  const sites = context.file.flow.callersOf(fn.name).filter((c) => c !== fn)
    .flatMap((caller) => caller.calls.filter((c) => c.name === fn.name).map((c) => ({ caller, c })));
  if (!sites.length) return undefined;
  const sets = sites.map(({ caller, c }) => {
    const arg = c.args[index];
    return arg?.kind === 'path' ? markersOn(context, caller, norm(arg.name!), c) : new Set<string>();
  });
  return new Set([...sets[0]!].filter((f) => sets.every((s) => s.has(f))));
}

function unmarkedP2PBios(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  if (isBefore(context.era, 6017) || !matchesAny(context.file.path, [...BIO_BUILDERS, ...DRIVERS])) return [];
  const taint = context.file.taintOf(fn);
  const only617 = context.era.min !== undefined && context.era.min >= 6017 && isBefore(context.era, 6018);
  const needed = only617 ? ['REQ_NOMERGE', P2PDMA_FLAG] : ['REQ_NOMERGE'];
  const reports: RuleReport[] = [];
  const reported = new Set<string>();
  for (const w of directWrites(fn, taint)) {
    if (!firstAdded(w.point.span) || reported.has(w.bio) || provesNotP2P(w.point.guards)) continue;
    const t = p2pPage(taint, w.page, w.point);
    if (!t) continue;
    const set = markersOn(context, fn, w.bio, w.point);
    for (const f of markedByCallers(context, fn, w.bio) ?? []) set.add(f);
    const missing = needed.filter((f) => !set.has(f));
    if (!missing.length) continue;
    reported.add(w.bio);
    reports.push({
      span: w.point.span,
      function: fn.name,
      severity: severityOf(context, t),
      era: describeEra(context.era),
      message: `${w.text} puts ${w.page.text}, which ${t.via === 'positive test' ? 'the guard proves is a P2P page' : `comes from ${t.via}`}, ` +
        `into ${w.bio}'s vector without the P2P marker (${missing.join(' | ')} not set on ${w.bio}; ${bioMarker(context)}). ` +
        (missing.includes(P2PDMA_FLAG) && !missing.includes('REQ_NOMERGE')
          ? 'On 6.17 blk-mq-dma looks for P2P pages only in requests that carry REQ_P2PDMA, so the page would be mapped as host memory.'
          : 'Without REQ_NOMERGE the block layer may merge the bio with host pages or another provider\'s, while blk-mq-dma decides one route per request.'),
      related: t.span ? [{ span: t.span, message: `P2P source: ${t.via}` }] : [],
    });
  }
  reports.push(...rebuiltAfterAdd(context, fn, taint, reported));
  return reports;
}

/** bio_add_page() marks the bio, then `bio->bi_opf = ...` without REQ_NOMERGE drops the marker again. */
function rebuiltAfterAdd(context: RuleContext, fn: FunctionFacts, taint: TaintView, reported: Set<string>): RuleReport[] {
  const out: RuleReport[] = [];
  for (const c of fn.calls) {
    const add = roleOf(c.name, 'bio-add');
    const bioArg = add ? c.args[add.bio] : undefined;
    const page = add ? c.args[add.page] : undefined;
    if (!add || bioArg?.kind !== 'path' || !page || provesNotP2P(c.guards)) continue;
    const bio = norm(bioArg.name!);
    const t = reported.has(bio) ? undefined : p2pPage(taint, page, c);
    if (!t) continue;
    const rebuild = fn.assignments.find((a) => a.op === '=' && norm(a.lhs) === `${bio}.bi_opf` && position(a.span) > position(c.span) &&
      !exclusive(a.guards, c.guards) && !a.rhs.paths.some((p) => norm(p) === `${bio}.bi_opf`) && !keepsNoMerge(fn, taint, a) && firstAdded(a.span));
    if (!rebuild) continue;
    reported.add(bio);
    out.push({
      span: rebuild.span,
      function: fn.name,
      severity: severityOf(context, t),
      era: describeEra(context.era),
      message: `${rebuild.lhsExpr.text} = ${rebuild.rhs.text} rebuilds the flags of a bio that ${c.name}() gave a P2P page (${t.via}) ` +
        `and drops the marker ${c.name}() set (${bioMarker(context)}); the block layer may then merge it with host pages or another provider's.`,
      related: [{ span: c.span, message: `${c.name}() adds the P2P page and sets the marker` }],
    });
  }
  return out;
}

function keepsNoMerge(fn: FunctionFacts, taint: TaintView, a: Assignment): boolean {
  return [...NOMERGE].some((f) => carries(fn, taint, a.rhs, a, f));
}

/** The page is P2P where it is written: a P2P source reaches it, or the write sits under a positive page test. */
function p2pPage(taint: TaintView, page: Expr, point: Placed): Taint | undefined {
  const t = taint.at(point).of(page);
  if (t && t.origin !== 'evidence') return t;
  const g = provesP2P(point.guards);
  return g ? { origin: 'p2pmem', via: 'positive test', span: g.span } : undefined;
}

/** Error when the page is P2P on every path and the target surely has the marker; otherwise a warning. */
function severityOf(context: RuleContext, t: Taint): Severity {
  return !t.indirect && t.origin !== 'exposed' && surelyAtLeast(context.era, 6017) ? 'error' : 'warning';
}
// end issue 14 R12 (api2)
