import { exclusive } from '../analysis/error-paths.js';
import { firstAdded, firstRemoved } from '../analysis/file-analysis.js';
import type { Expr, FunctionFacts, Guard, Span } from '../analysis/facts.js';
import { callsAny, checkedBy, guardAtoms } from '../analysis/guards.js';
import { functionName } from '../analysis/hunk-function.js';
import { P2P_CAPABILITY_TESTS, P2P_GUP_FLAGS, QUEUE_P2P_TESTS } from '../analysis/p2p-api.js';
import { comparedWithPreImage, conditionSpan } from '../analysis/pre-image.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

const CAPABILITY_TESTS = new Set([...P2P_CAPABILITY_TESTS, ...QUEUE_P2P_TESTS]);
const CAPABILITY = (name: string): boolean => CAPABILITY_TESTS.has(name) || /(^|\.)supports_pci_p2pdma$/.test(name);
const QUEUE_FEATURES = new Set(['BLK_FEAT_PCI_P2PDMA', 'QUEUE_FLAG_PCI_P2PDMA']);
const LONGTERM = 'FOLL_LONGTERM';
/** ib_umem_get() always pins FOLL_LONGTERM. */
const LONGTERM_CALLS = new Set(['ib_umem_get']);
const GUP_FILE = /(^|\/)mm\/gup\.c$/;
/** Flag constants are paths too; only variables carry flags from one statement to another. */
const MACRO = /^[A-Z][A-Z0-9_]*$/;

export const r11: Rule = {
  meta: {
    id: 'R11',
    slug: 'p2p-gup-flag-gating',
    name: 'FOLL_PCI_P2PDMA / ITER_ALLOW_P2PDMA set without consumer support, or combined with FOLL_LONGTERM',
    defaultSeverity: 'warning',
    versions: '6.2+ (FOLL_PCI_P2PDMA), ~6.3+ (ITER_ALLOW_P2PDMA); the flags do not exist before',
    summary: 'FOLL_PCI_P2PDMA or ITER_ALLOW_P2PDMA is set without checking that the DMA device supports P2PDMA, or together with FOLL_LONGTERM.',
    why: 'The flag is an opt-in that promises "this consumer can DMA to P2P pages and will not touch them with the CPU". GUP rejects FOLL_LONGTERM together with FOLL_PCI_P2PDMA (-EINVAL and a WARN_ON_ONCE in is_valid_gup_args() by 6.12), because long-term pins block provider unbind. hch: "not really minor unless we have a well documented way to force this". Dan Williams: the holder "may never drop its pin".',
    firesWhen: [
      'FOLL_PCI_P2PDMA or ITER_ALLOW_P2PDMA is OR-ed in without a dominating blk_queue_pci_p2pdma(q)/dma_pci_p2pdma_supported()/ib_dma_pci_p2p_dma_supported() check',
      'it appears on a path that also uses FOLL_LONGTERM, pin_user_pages_fast(..., FOLL_LONGTERM...) or ib_umem_get (always longterm)',
      'a patch removes the FOLL_LONGTERM && FOLL_PCI_P2PDMA rejection in mm/gup.c',
    ],
    mustNotFire: [
      'block/bio.c, block/blk-map.c, block/bio-integrity.c with the queue check',
      'mm/gup.c adding the guard',
      'an added line that only renames or restructures the condition of an unchanged guard, or the flags variable under it; a guard counts as weakened only when its condition loses a capability check (global trap 6)',
    ],
    fix: 'Only set FOLL_PCI_P2PDMA/ITER_ALLOW_P2PDMA after checking that the DMA device supports P2PDMA (blk_queue_pci_p2pdma(), dma_pci_p2pdma_supported()). P2P pages cannot be pinned FOLL_LONGTERM. Use dma-buf with revoke for long-lived registrations.',
    references: [
      { messageId: '20221021174116.7200-3-logang@deltatee.com', title: '[PATCH v11 2/9] mm: introduce FOLL_PCI_P2PDMA to gate getting PCI P2PDMA pages' },
      { messageId: '20221021174116.7200-7-logang@deltatee.com', title: '[PATCH v11 6/9] block: set FOLL_PCI_P2PDMA in __bio_iov_iter_get_pages()' },
      { messageId: 'ZrmuGrDaJTZFrKrc@infradead.org', title: 'Christoph Hellwig on FOLL_LONGTERM with FOLL_PCI_P2PDMA (linux-rdma, 2024-08-11)' },
      { messageId: '66bb91fbcbe66_1c18294fe@dwillia2-mobl3.amr.corp.intel.com.notmuch', title: 'Dan Williams on long-term pins of P2P memory (2024-08-13)' },
    ],
    examples: {
      fires: 'gup_flags |= FOLL_PCI_P2PDMA;\nret = pin_user_pages_fast(addr, npages, gup_flags, pages);',
      quiet: 'if (blk_queue_pci_p2pdma(q))\n\tgup_flags |= FOLL_PCI_P2PDMA;\nret = pin_user_pages_fast(addr, npages, gup_flags, pages);',
    },
    triggers: [...P2P_GUP_FLAGS],
    // global trap 1: a flag without the queue check in block/bio.c, or the removal of the mm/gup.c rejection
    checksCoreFiles: true,
  },

  check(context) {
    // global trap 1: in core files R11 still applies to changed lines (a flag without the queue
    // check in block/bio.c, the removal of the mm/gup.c rejection)
    const removals = GUP_FILE.test(context.file.path) ? removedLongtermRejections(context) : [];
    return [...removals, ...context.functions.flatMap((fn) => flagSites(fn).flatMap((site) => judge(context, fn, site)))];
  },
};

/** Where a P2P GUP flag is put into a flags value: an assignment, an initializer field or a call argument. */
interface FlagSite {
  flag: string;
  value: Expr;
  /** The flags variable an assignment sets. */
  target?: string;
  /** Where the flag goes, for the message: `is OR-ed into gup_flags`, `is passed to pin_user_pages_fast()`. */
  where: string;
  span: Span;
  guards: Guard[];
}

function flagSites(fn: FunctionFacts): FlagSite[] {
  const sites: FlagSite[] = [];
  for (const a of fn.assignments) {
    const flag = (a.op === '|=' || a.op === '=') ? setFlag(a.rhs, P2P_GUP_FLAGS) : undefined;
    if (flag) sites.push({ flag, value: a.rhs, target: a.lhs, where: `${a.op === "|=" ? "is OR-ed into" : "is set in"} ${a.lhsExpr.text}`, span: a.span, guards: a.guards });
  }
  for (const init of fn.initializers) {
    for (const f of init.fields) {
      const flag = setFlag(f.value, P2P_GUP_FLAGS);
      if (flag) sites.push({ flag, value: f.value, where: `is set in .${f.field} of ${init.name || 'an initializer'}`, span: f.span, guards: [] });
    }
  }
  for (const c of fn.calls) {
    for (const arg of c.args) {
      const flag = setFlag(arg, P2P_GUP_FLAGS);
      if (flag) sites.push({ flag, value: arg, where: `is passed to ${c.name}()`, span: c.span, guards: c.guards });
    }
  }
  return sites;
}

/**
 * The flag an expression turns on: the flag itself or an OR of flags. A mask
 * (`flags & ~FOLL_PCI_P2PDMA`) or a test (`flags & FOLL_PCI_P2PDMA`) turns nothing on; a
 * conditional (`p2p ? FOLL_PCI_P2PDMA : 0`) is a decision the facts do not break down.
 */
function setFlag(e: Expr, flags: ReadonlySet<string>): string | undefined {
  if (e.kind === 'path') return flags.has(e.name!) ? e.name : undefined;
  return e.kind === 'binary' && e.name === '|' ? e.args.map((a) => setFlag(a, flags)).find(Boolean) : undefined;
}

function judge(context: RuleContext, fn: FunctionFacts, site: FlagSite): RuleReport[] {
  if (!firstAdded(site.span)) return weakenedGuard(context, fn, site);
  const name = functionName(context.file.file, fn, site.span);
  const longterm = longtermWith(fn, name, site);
  if (longterm) {
    return [{
      span: site.span,
      function: name,
      severity: 'error',
      message: `${site.flag} ${site.where} on a path that also takes a long-term pin: ${longterm.what}; ` +
        'GUP rejects FOLL_LONGTERM with FOLL_PCI_P2PDMA (-EINVAL) because a long-term pin blocks the P2P provider from unbinding.',
      related: longterm.span === site.span ? [] : [{ span: longterm.span, message: `long-term pin: ${longterm.what}` }],
    }];
  }
  if (gated(fn, site)) return [];
  // global trap 6: the same flag set in the same function before the patch, as ungated: a rename or a reformat
  if (comparedWithPreImage(context.file, fn, site, flagSites, (s) => s.flag, gated) === 'same') return [];
  return [{
    span: site.span,
    function: name,
    message: `${site.flag} ${site.where} without a dominating blk_queue_pci_p2pdma()/dma_pci_p2pdma_supported()/` +
      'ib_dma_pci_p2p_dma_supported() check; the flag promises that the DMA device can take P2P pages.',
  }];
}

/**
 * An unchanged flag site whose guard the patch rewrites (global trap 6): it fires only when the
 * guard's condition lost the capability check the pre-image had, at the rewritten condition.
 */
function weakenedGuard(context: RuleContext, fn: FunctionFacts, site: FlagSite): RuleReport[] {
  const guard = site.guards.find((g) => g.kind !== 'early-exit' && g.kind !== 'case' && firstAdded(conditionSpan(g)));
  if (!guard || gated(fn, site)) return [];
  if (comparedWithPreImage(context.file, fn, site, flagSites, (s) => s.flag, gated) !== 'weakened') return [];
  return [{
    span: conditionSpan(guard),
    function: functionName(context.file.file, fn, site.span),
    message: `The rewritten condition ${guard.cond.text} no longer checks blk_queue_pci_p2pdma()/dma_pci_p2pdma_supported()/` +
      `ib_dma_pci_p2p_dma_supported() before ${site.flag} ${site.where}; the flag promises that the DMA device can take P2P pages.`,
    related: [{ span: site.span, message: `unchanged flag: ${site.flag} ${site.where}` }],
  }];
}

/**
 * A FOLL_LONGTERM pin of the same flags that can run together with the site: in the same
 * expression, set in the same flags variable, or passed along with it; or ib_umem_get().
 */
function longtermWith(fn: FunctionFacts, name: string, site: FlagSite): { what: string; span: Span } | undefined {
  const longterm = new Set([LONGTERM]);
  if (setFlag(site.value, longterm)) return { what: `${LONGTERM} in the same flags`, span: site.span };
  if (LONGTERM_CALLS.has(name)) return { what: `${name}(), which always pins FOLL_LONGTERM`, span: site.span };
  const together = (guards: readonly Guard[]) => !exclusive(guards, site.guards);
  const flagVars = new Set([...site.value.paths.filter((p) => !MACRO.test(p)), ...(site.target ? [site.target] : [])]);
  const assigned = fn.assignments.find((a) => flagVars.has(a.lhs) && a.op !== '&=' && setFlag(a.rhs, longterm) && together(a.guards));
  if (assigned) return { what: `${LONGTERM} in ${assigned.lhsExpr.text}`, span: assigned.span };
  const call = fn.calls.find((c) => together(c.guards) && (LONGTERM_CALLS.has(c.name) ||
    c.args.some((arg) => setFlag(arg, longterm) && arg.paths.some((p) => flagVars.has(p)))));
  if (call) return { what: LONGTERM_CALLS.has(call.name) ? `${call.name}(), which always pins FOLL_LONGTERM` : `${call.name}(..., ${LONGTERM})`, span: call.span };
  return undefined;
}

/**
 * A dominating capability check, a queue feature test, a variable holding either, or the caller's
 * own P2P opt-in handed on (`if (extraction_flags & ITER_ALLOW_P2PDMA) gup_flags |= FOLL_PCI_P2PDMA`,
 * `if (allow_p2p)`).
 */
function gated(fn: FunctionFacts, site: FlagSite): boolean {
  if (checkedBy(site.guards, CAPABILITY) || callsAny(site.value, CAPABILITY)) return true;
  const decided = capabilityHolders(fn);
  return guardAtoms(site.guards).some((a) => a.positive && (
    a.expr.identifiers.some((i) => QUEUE_FEATURES.has(i) || P2P_GUP_FLAGS.has(i)) ||
    a.expr.paths.some((p) => decided.has(p))));
}

function capabilityHolders(fn: FunctionFacts): Set<string> {
  const holders = new Set(fn.assignments.filter((a) => callsAny(a.rhs, CAPABILITY)).map((a) => a.lhs));
  for (const c of fn.calls) if (c.assignedTo && CAPABILITY(c.name)) holders.add(c.assignedTo);
  return holders;
}

/** mm/gup.c: a removed `FOLL_LONGTERM && FOLL_PCI_P2PDMA` rejection that the post-image does not keep. */
function removedLongtermRejections(context: RuleContext): RuleReport[] {
  const rejects = (g: Guard) => g.cond.identifiers.includes(LONGTERM) && g.cond.identifiers.includes('FOLL_PCI_P2PDMA');
  if (context.functions.some((fn) => fn.ifs.some(rejects))) return [];
  return context.file.pre.functions.flatMap((fn) => fn.ifs
    .filter((g) => rejects(g) && firstRemoved(g.span))
    .map((g) => {
      const name = functionName(context.file.file, fn, g.span);
      return {
        span: g.span,
        function: name,
        severity: 'error' as const,
        removed: true,
        message: `The patch removes the "${rejectionText(g.cond)}" rejection from ${name ? `${name}()` : 'mm/gup.c'}; ` +
          'GUP would then hand out FOLL_LONGTERM pins of P2P pages, which block the provider from unbinding.',
      };
    }));
}

/** `WARN_ON_ONCE(a && b)` and `(a && b)` read as `a && b`. */
function rejectionText(cond: Expr): string {
  if (cond.kind === 'call' && /^WARN_ON/.test(cond.name!) && cond.args[0]) return rejectionText(cond.args[0]);
  return cond.kind === 'binary' && cond.args.length === 2 ? `${cond.args[0]!.text} ${cond.name} ${cond.args[1]!.text}` : cond.text;
}
