import { isProviderCore } from '../analysis/core-files.js';
import { errorExits, labelBetween, lineOf, releasedOnExit, type Exit } from '../analysis/error-paths.js';
import { firstAdded } from '../analysis/file-analysis.js';
import { functionName } from '../analysis/hunk-function.js';
import type { Call, Expr, FunctionFacts } from '../analysis/facts.js';
import type { Taint } from '../analysis/value-flow.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';
import { rolesOf } from '../analysis/catalogue.js';

/** Calls that put memory into a user VMA; value = index of the page/pfn/phys argument. */
const VMA_INSERTS: ReadonlyMap<string, number> = new Map([
  ['vm_insert_page', 2], ['vm_insert_pages', 2], ['vm_insert_pfn', 2], ['vmf_insert_pfn', 2], ['vmf_insert_pfn_prot', 2],
  ['vmf_insert_mixed', 2], ['vmf_insert_mixed_mkwrite', 2], ['remap_pfn_range', 2], ['io_remap_pfn_range', 2],
  ['vm_iomap_memory', 1], ['vmf_insert_pfn_pmd', 1], ['vmf_insert_pfn_pud', 1],
]);
const SANCTIONED = 'p2pmem_alloc_mmap';
const MMAP_HELPER = 'pci_mmap_p2pmem';
/** The p2pdma core hands out p2pmem straight from the provider's gen_pool (`p2pdma->pool`). */
const POOL_ALLOCS = /^gen_pool_(alloc|alloc_owner|alloc_algo|alloc_algo_owner|dma_alloc|dma_zalloc)$/;
/** BAR sources whose second argument is the BAR index. */
const BAR_INDEXED = /^(pci_resource_start|pci_iomap.*|pcim_iomap.*|pci_ioremap.*bar)$/;

interface RefKind {
  what: string;
  acquires(c: Call): boolean;
  releases(c: Call): boolean;
}

/** The two counts p2pmem_alloc_mmap() balances: the pgmap percpu ref and each page's refcount. */
const REF_KINDS: RefKind[] = [
  {
    what: 'pgmap percpu ref',
    acquires: (c) => /^percpu_ref_(get|get_many|tryget|tryget_live|tryget_live_rcu|tryget_many)$/.test(c.name),
    releases: (c) => /^percpu_ref_put(_many)?$/.test(c.name),
  },
  {
    what: 'page refcount',
    acquires: (c) => /^(get_page|folio_get|page_ref_inc|init_page_count)$/.test(c.name) || (c.name === 'set_page_count' && c.args[1]?.text !== '0'),
    releases: (c) => /^(put_page|folio_put|page_ref_dec)$/.test(c.name) || (c.name === 'set_page_count' && c.args[1]?.text === '0'),
  },
];

export const r14: Rule = {
  meta: {
    id: 'R14',
    slug: 'p2p-bar-userspace-mmap',
    name: 'Exposing BAR or p2pmem to userspace outside the sanctioned path',
    defaultSeverity: 'warning',
    versions: 'all; the sysfs p2pmem/allocate mmap exists from 6.2',
    summary: 'A driver maps p2pmem or a p2pmem BAR into a user VMA by hand, calls pci_mmap_p2pmem(), or changes p2pmem_alloc_mmap() refcounting without balancing it on error paths.',
    why: 'User mappings of P2P memory need special VMA handling: shared only, no private COW, no page_mkwrite, offset 0, pgmap refcount per page, teardown on unbind. Driver-specific mmaps of p2pmem were pushed back (Jason on pci_mmap_p2pmem: inflexible, "Why is this a VM_MIXEDMAP?"). The sanctioned path (sysfs allocate, 6.2) still needed error-path fixes in 2025-26.',
    firesWhen: [
      'a driver .mmap handler does vm_insert_page/vmf_insert_pfn/remap_pfn_range/io_remap_pfn_range on pci_alloc_p2pmem memory or on pages from pci_p2pdma_add_resource BARs',
      'a driver .mmap maps a BAR that is also registered as p2pmem',
      'new calls to pci_mmap_p2pmem',
      'changes in p2pmem_alloc_mmap that alter the refcount/percpu_ref handling without balancing it on error paths (W)',
    ],
    mustNotFire: [
      'ordinary pci_mmap_resource_range/vfio BAR mmap of registers (not registered as p2pmem)',
      "dma_buf mmap through the exporter's own ops",
    ],
    fix: "Don't hand-roll user mappings of p2pmem. Use the p2pmem/allocate sysfs file (6.2+) or export the BAR through dma-buf. In p2pmem_alloc_mmap-like code, balance page refcounts and the pgmap percpu ref on every failure path.",
    references: [
      { messageId: '20201106170036.18713-16-logang@deltatee.com', title: '[RFC PATCH 15/15] nvme-pci: Allow mmaping the CMB in userspace' },
      { messageId: '20201106172206.GS36674@ziepe.ca', title: 'Jason Gunthorpe on "nvme-pci: Allow mmaping the CMB in userspace"' },
      { messageId: '20210928195518.GV3544071@ziepe.ca', title: 'Jason Gunthorpe on v3 19/20 (pci_mmap_p2pmem)' },
      { messageId: '20251220040446.274991-2-houtao@huaweicloud.com', title: '[PATCH 01/13] PCI/P2PDMA: Release the per-cpu ref of pgmap when vm_insert_page() fails' },
      { messageId: '20260112005440.998543-1-apopple@nvidia.com', title: '[PATCH] PCI/P2PDMA: Reset page reference count when page mapping fails' },
    ],
    examples: {
      fires: 'buf = pci_alloc_p2pmem(pdev, len);\nret = remap_pfn_range(vma, vma->vm_start, virt_to_phys(buf) >> PAGE_SHIFT, len, vma->vm_page_prot);',
      quiet: 'ret = remap_pfn_range(vma, vma->vm_start, pci_resource_start(pdev, 0) >> PAGE_SHIFT, len, vma->vm_page_prot);',
    },
    triggers: [...VMA_INSERTS.keys(), MMAP_HELPER, SANCTIONED],
    checksCoreFiles: true,
  },

  check(context) {
    const p2pBars = p2pmemBars(context);
    const core = providerCore(context);
    return context.functions.flatMap((fn) => [
      // the provider core: only the refcount balance, and one design note for a new user-mapping mechanism
      ...(core ? coreDesignNotes(context, fn, p2pBars) : [...handRolledMaps(context, fn, p2pBars), ...mmapHelperCalls(fn)]),
      ...unbalancedRefs(fn),
    ]).filter((r) => firstAdded(r.span));
  },
};

/**
 * The P2PDMA provider core: drivers/pci/p2pdma.c, which global trap 8 names, or code that is one by
 * what it does: it defines the P2PDMA API itself (functions named as the catalogue's sources,
 * registrations or P2P mmap helpers).
 */
function providerCore(context: RuleContext): boolean {
  if (isProviderCore(context.file.path)) return true; // global trap 8 names the file
  const defines = (name: string) => rolesOf(name).some((r) => r.role === 'source' || r.role === 'provider-registration') ||
    name === MMAP_HELPER || name === SANCTIONED;
  return context.functions.some((fn) => fn.name !== '' && defines(fn.name));
}

/** One info note per new user-mapping mechanism the core itself proposes (spec R14, the provider core). */
function coreDesignNotes(context: RuleContext, fn: FunctionFacts, p2pBars: ReadonlySet<string>): RuleReport[] {
  const inserts = handRolledMaps(context, fn, p2pBars);
  if (!inserts.length || fn.name === SANCTIONED) return [];
  return [{
    ...inserts[0]!,
    severity: 'info',
    message: `${fn.name}() adds a user-mapping mechanism for p2pmem in the P2PDMA core; review settled on the sysfs ` +
      'p2pmem/allocate file (6.2) for user mappings rather than per-driver or core helpers (a design note, not a defect).',
  }];
}

/** BAR index texts the file registers with pci_p2pdma_add_resource(pdev, bar, size, offset). */
function p2pmemBars(context: RuleContext): Set<string> {
  return new Set(context.functions.flatMap((fn) => fn.calls)
    .filter((c) => c.name === 'pci_p2pdma_add_resource' && c.args[1])
    .map((c) => c.args[1]!.text));
}

function handRolledMaps(context: RuleContext, fn: FunctionFacts, p2pBars: ReadonlySet<string>): RuleReport[] {
  const taint = context.file.taintOf(fn);
  return fn.calls.flatMap((call) => {
    const index = VMA_INSERTS.get(call.name);
    const memory = index === undefined ? undefined : call.args[index];
    if (!memory) return [];
    const name = functionName(context.file.file, fn, call.span);
    if (name === SANCTIONED) return [];
    const here = taint.at(call);
    let indirect = false;
    const source = taint.trace(memory, call, (x) => { const t = here.of(x); const s = p2pSource(fn, x, t, p2pBars); if (s) indirect = !!t?.indirect; return s; });
    if (!source) return [];
    // severity calibration (R14 row): p2pmem pages inserted by a driver handler are E; a BAR the
    // driver also registers as p2pmem is not named there, and memory from a field some store fills
    // is p2pmem only on some paths: both keep the rule's W
    const pages = !source.startsWith('BAR ') && !indirect;
    return [{
      span: call.span,
      function: name,
      ...(pages ? { severity: 'error' as const } : {}),
      message: `${call.name}() maps ${memory.text} into a user VMA, and it is ${source}; ` +
        'driver mmaps of p2pmem bypass the pgmap refcounting and unbind teardown of the sysfs p2pmem/allocate path.',
    }];
  });
}

/** The gen_pool of the P2PDMA core: `pool` of a `struct pci_p2pdma` (by its declared type). */
function p2pPool(fn: FunctionFacts, path: string): boolean {
  const [root, ...rest] = path.split('.');
  const type = [...fn.params, ...(fn.locals ?? [])].find((p) => p.name === root)?.type ?? '';
  return /\bstruct\s+pci_p2pdma\b/.test(type) && rest.at(-1) === 'pool';
}

/** Words for a P2P origin: p2pmem, or a BAR the file also registers as p2pmem. */
function p2pSource(fn: FunctionFacts, x: Expr, t: Taint | undefined, p2pBars: ReadonlySet<string>): string | undefined {
  if (t?.origin === 'p2pmem') return `p2pmem from ${t.via}`;
  if (x.kind === 'call' && POOL_ALLOCS.test(x.name!) && x.args[0]?.paths.some((p) => p2pPool(fn, p))) return `p2pmem from ${x.name}(${x.args[0].text})`;
  if (x.kind === 'call' && BAR_INDEXED.test(x.name!) && x.args[1] && p2pBars.has(x.args[1].text)) {
    return `BAR ${x.args[1].text} (${x.text}), which the driver also registers with pci_p2pdma_add_resource()`;
  }
  return undefined;
}

function mmapHelperCalls(fn: FunctionFacts): RuleReport[] {
  return fn.calls.filter((c) => c.name === MMAP_HELPER).map((call) => ({
    span: call.span,
    function: fn.name,
    severity: 'error' as const, // calibration: new pci_mmap_p2pmem() callers are E
    message: `${MMAP_HELPER}() maps p2pmem into a user VMA from a driver; the helper was never merged, ` +
      'and user mappings of p2pmem go through the sysfs p2pmem/allocate file (6.2+) or a dma-buf export.',
  }));
}

/**
 * p2pmem_alloc_mmap()-like code (it inserts pages into a VMA and counts references): an error exit
 * taken while a reference is held, with no release on its way out.
 */
function unbalancedRefs(fn: FunctionFacts): RuleReport[] {
  if (!fn.calls.some((c) => VMA_INSERTS.has(c.name)) || !fn.calls.some((c) => REF_KINDS[0]!.acquires(c) || REF_KINDS[0]!.releases(c))) return [];
  const exits = errorExits(fn);
  return REF_KINDS.flatMap((kind) => fn.calls.filter((c) => kind.acquires(c)).flatMap((acquire) =>
    exits.filter((exit) => leaks(fn, kind, acquire, exit)).map((exit) => refReport(fn, kind, acquire, exit))));
}

function leaks(fn: FunctionFacts, kind: RefKind, acquire: Call, exit: Exit): boolean {
  const from = lineOf(acquire.span);
  const at = lineOf(exit.span);
  if (at <= from || labelBetween(fn, from, at)) return false;
  if (acquire.conditionOf && exit.guards.some((g) => g.id === acquire.conditionOf && g.kind !== 'early-exit')) return false; // its own failure
  if (acquire.loops.length && !acquire.loops.every((l) => exit.loops.some((x) => x.id === l.id))) return false;
  const changed = [acquire.span, exit.span].some((s) => firstAdded(s)) || fn.calls.some((c) => (kind.acquires(c) || kind.releases(c)) && firstAdded(c.span));
  return changed && !releasedOnExit(fn, exit, from, kind.releases);
}

function refReport(fn: FunctionFacts, kind: RefKind, acquire: Call, exit: Exit): RuleReport {
  const span = firstAdded(exit.span) ? exit.span : firstAdded(acquire.span) ? acquire.span :
    fn.calls.find((c) => REF_KINDS.some((k) => k.acquires(c) || k.releases(c)) && firstAdded(c.span))?.span ?? exit.span;
  return {
    span,
    function: fn.name,
    message: `The ${kind.what} taken by ${acquire.expr.text} is not dropped on the error path ` +
      `(${exit.kind === 'goto' ? `goto ${exit.label}` : `return ${exit.value?.text ?? ''}`}) of ${fn.name || 'this mmap path'}; ` +
      'an unbalanced count keeps the provider from unbinding or corrupts the page state.',
    related: [
      { span: acquire.span, message: `${kind.what}: ${acquire.name}()` },
      ...(span === exit.span ? [] : [{ span: exit.span, message: 'error path without the release' }]),
    ],
  };
}
