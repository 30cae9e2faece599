import { KERNEL_ALLOCATORS, KERNEL_MEMORY_FIELDS, USER_MEMORY_SOURCES, roleOf } from '../analysis/catalogue.js';
import { matchesAny } from '../analysis/core-files.js';
import type { Call, Expr, FunctionFacts, Span } from '../analysis/facts.js';
import { firstAdded } from '../analysis/file-analysis.js';
import { attrsOf, mappingApi, memoryOf, passesAttr, valueHolds } from '../analysis/map-pairing.js';
import { typeKey } from '../analysis/value-flow.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

const ATTR = 'DMA_ATTR_REQUIRE_COHERENT';
/** Spec R18 "must not fire": the RDMA umem core pins user pages (mm/hmm.c and the DMA core are core files). */
const USER_MEMORY_CORE = [/(^|\/)drivers\/infiniband\/core\/umem\.c$/];

interface Kernel {
  via: string;
  span?: Span;
  /** Found in a caller of the function (through a parameter). */
  caller?: Call;
}

export const r18: Rule = {
  meta: {
    id: 'R18',
    slug: 'dma-attr-require-coherent-misuse',
    name: 'DMA_ATTR_REQUIRE_COHERENT on kernel memory',
    defaultSeverity: 'error',
    versions: '7.0+ (DMA_ATTR_REQUIRE_COHERENT, 1UL << 12, dma-mapping-fixes for v7.0-rc)',
    summary: 'DMA_ATTR_REQUIRE_COHERENT is passed for a buffer from a kernel allocator.',
    why: 'A mapping with DMA_ATTR_REQUIRE_COHERENT fails wherever the device is not DMA-coherent or SWIOTLB would be needed: dma_map_phys() returns DMA_MAPPING_ERROR, dma_map_sg*() and dma_iova_link() return -EOPNOTSUPP, and the attribute hides dma-debug\'s cache-line overlap tracking. The attribute is for user memory behind a coherent uAPI (RDMA umem, HMM) and "must never be used in an in-kernel driver that only works with kernel memory": such a driver stops working on non-coherent SoCs, addressing-limited devices and under swiotlb=force (confidential-computing guests).',
    firesWhen: [
      'DMA_ATTR_REQUIRE_COHERENT is in the attrs (as a bitmask, directly or through a local) of dma_map_*, dma_map_phys, dma_map_sg*, dma_iova_link or ib_dma_map_*_attrs, and the mapped buffer comes from a kernel allocator (kmalloc/kzalloc/kvmalloc, alloc_pages/__get_free_pages/folio_alloc, page_pool, skb->data/skb_frag_page(), sg_init_one()/sg_set_buf() over these) in the same function or a caller in the patch: error',
      'the buffer arrives through a parameter or field, and the file has no user-memory source (pin_user_pages*, get_user_pages*, iov_iter_extract_pages, hmm_range_fault, ib_umem_get): warning',
      'the attrs are a parameter of the mapping function (or a local computed from it) and a call of it in the patch passes DMA_ATTR_REQUIRE_COHERENT (reported at that call, the decision point); folio_to_phys(folio_alloc(...)) is kernel memory too',
    ],
    mustNotFire: [
      'drivers/infiniband/core/umem.c (ib_umem_get(), pinned user pages)',
      'mm/hmm.c (hmm_dma_map_pfn()/hmm_dma_unmap_pfn(), including | DMA_ATTR_MMIO)',
      'the dma-mapping core and dma-debug',
      'DRM and RDMA uAPI paths that map pages from pin_user_pages*()/hmm_range_fault()',
      'unmap calls',
    ],
    fix: 'DMA_ATTR_REQUIRE_COHERENT is for user memory behind a coherent uAPI (RDMA umem, HMM). Map kernel buffers without it, so non-coherent platforms get cache maintenance and limited devices get SWIOTLB; consider dma_mmap_pages() for uAPI designs.',
    references: [
      { messageId: '20260316-dma-debug-overlap-v3-4-1dde90a7f08b@nvidia.com', title: '[PATCH v3 4/8] dma-mapping: Introduce DMA require coherency attribute' },
      { messageId: '20260316-dma-debug-overlap-v3-5-1dde90a7f08b@nvidia.com', title: '[PATCH v3 5/8] dma-direct: prevent SWIOTLB path when DMA_ATTR_REQUIRE_COHERENT is set' },
      { messageId: '20260308181920.GH1687929@ziepe.ca', title: 'Jason Gunthorpe proposing the attribute, and the abuse concern' },
      { messageId: '20260312121937.GD1469476@ziepe.ca', title: 'Jason Gunthorpe on the documentation wording' },
    ],
    examples: {
      fires: 'buf = kmalloc(len, GFP_KERNEL);\naddr = dma_map_single_attrs(dev, buf, len, DMA_TO_DEVICE,\n\t\t\t    DMA_ATTR_REQUIRE_COHERENT);',
      quiet: 'ret = pin_user_pages_fast(uaddr, npages, FOLL_WRITE | FOLL_LONGTERM, pages);\nret = dma_map_sgtable(dev, &sgt, DMA_BIDIRECTIONAL, DMA_ATTR_REQUIRE_COHERENT);',
    },
    triggers: [ATTR],
  },

  check(context) {
    if (matchesAny(context.file.path, USER_MEMORY_CORE)) return [];
    const userMemory = [...USER_MEMORY_SOURCES].some((id) => context.file.post.identifiers.has(id));
    return context.functions.flatMap((fn) => fn.calls.flatMap((call) => {
      // the spec's list (dma_map_*, dma_map_phys, dma_map_sg*, dma_iova_link, ib_dma_map_*_attrs): the
      // catalogue's map calls, but not the pre-6.0 P2P list mappers
      const info = mappingApi(call);
      if (info?.role !== 'map' || info.family === 'p2p-list') return [];
      const memory = memoryOf(call);
      if (!memory) return [];
      if (passesAttr(fn, call, ATTR) !== 'yes') return attrsFromCallers(context, fn, call, memory, userMemory);
      if (!firstAdded(call.span)) return [];
      const kernel = kernelMemory(context, fn, call, memory);
      if (kernel) return [report(fn, call, memory, kernel)];
      const outside = userMemory ? undefined : context.file.taintOf(fn).trace(memory, call, (x) => (fromOutside(fn, x) ? x : undefined));
      if (!outside) return [];
      return [{
        span: call.span,
        function: fn.name,
        severity: 'warning',
        message: `${call.name}() maps ${memory.text} with ${ATTR}, but it arrives through ${isParam(fn, outside) ? 'the parameter' : 'the field'} ${outside.text} ` +
          'and this file takes no user memory (no pin_user_pages*/get_user_pages*/iov_iter_extract_pages/hmm_range_fault/ib_umem_get): ' +
          'the attribute is only for user memory behind a coherent uAPI; on kernel memory the mapping fails on non-coherent or SWIOTLB systems.',
      } satisfies RuleReport];
    }));
  },
};

// issue 14 R18 (api2): DMA attrs handed in as a parameter
/**
 * The map call's attrs are (or contain) a parameter of `fn`: each call of `fn` in the patch that
 * passes DMA_ATTR_REQUIRE_COHERENT there is the decision point (the line a fix changes), with the
 * memory that call site hands in (or `fn`'s own allocation).
 */
function attrsFromCallers(context: RuleContext, fn: FunctionFacts, call: Call, memory: Expr, userMemory: boolean): RuleReport[] {
  const attrs = attrsOf(call);
  if (!attrs || !fn.name || valueHolds(fn, attrs, ATTR) === 'no') return [];
  // the parameter itself, or a local the function computes from it (`a = attrs | DMA_ATTR_SKIP_CPU_SYNC`)
  const index = context.file.taintOf(fn).trace(attrs, call, (x) => {
    const i = x.kind === 'path' ? fn.params.findIndex((p) => p.name === x.name) : -1;
    return i >= 0 ? i : undefined;
  }) ?? -1;
  if (index < 0) return [];
  const memIndex = fn.params.findIndex((p) => p.name === root(memory));
  const reports: RuleReport[] = [];
  for (const caller of context.file.flow.callersOf(fn.name)) {
    for (const site of caller.calls.filter((c) => c.name === fn.name)) {
      const passed = site.args[index];
      if (!passed || valueHolds(caller, passed, ATTR) !== 'yes') continue;
      const span = [site.span, call.span].find((s) => firstAdded(s));
      if (!span) continue;
      const handed = memIndex >= 0 ? site.args[memIndex] : undefined;
      const kernel = handed ? kernelMemory(context, caller, site, handed, 1) : allocated(context, fn, call, memory);
      const related = [{ span: span === site.span ? call.span : site.span, message: span === site.span
        ? `${call.name}() in ${fn.name}() maps with the attrs passed here` : `${fn.name}() is called with ${ATTR} here` }];
      if (kernel) {
        const r = report(caller, site, handed ?? memory, kernel);
        reports.push({ ...r, span, function: span === site.span ? caller.name : fn.name, related: [...(r.related ?? []), ...related] });
        continue;
      }
      const outside = userMemory || !handed ? undefined : context.file.taintOf(caller).trace(handed, site, (x) => (fromOutside(caller, x) ? x : undefined));
      if (!outside) continue;
      reports.push({
        span,
        function: span === site.span ? caller.name : fn.name,
        severity: 'warning',
        message: `${site.name}() is passed ${ATTR} for ${handed!.text}, which arrives through ${isParam(caller, outside) ? 'the parameter' : 'the field'} ${outside.text}, ` +
          `and ${call.name}() maps it with those attrs; this file takes no user memory: the attribute is only for user memory behind a coherent uAPI.`,
        related,
      });
    }
  }
  return reports;
}
// end issue 14 R18 (api2)

function report(fn: FunctionFacts, call: Call, memory: Expr, kernel: Kernel): RuleReport {
  return {
    span: call.span,
    function: fn.name,
    severity: 'error',
    message: `${call.name}() maps ${memory.text}, kernel memory from ${kernel.via}, with ${ATTR}: ` +
      'the mapping fails (no cache maintenance, no SWIOTLB) wherever the device is not DMA-coherent, and dma-debug stops tracking it. ' +
      'The attribute is only for user memory behind a coherent uAPI (RDMA umem, HMM).',
    related: [
      ...(kernel.span ? [{ span: kernel.span, message: `kernel allocation: ${kernel.via}` }] : []),
      ...(kernel.caller ? [{ span: kernel.caller.span, message: `passed in by this call of ${fn.name}()` }] : []),
    ],
  };
}

/** Where the mapped memory comes from a kernel allocator: in this function, or at a call of it in the patch. */
function kernelMemory(context: RuleContext, fn: FunctionFacts, at: Call, memory: Expr, depth = 2): Kernel | undefined {
  const own = allocated(context, fn, at, memory);
  if (own || depth === 0) return own;
  const index = fn.params.findIndex((p) => p.name === root(memory));
  if (index < 0 || !fn.name) return undefined;
  for (const caller of context.file.flow.callersOf(fn.name)) {
    for (const call of caller.calls.filter((c) => c.name === fn.name)) {
      const arg = call.args[index];
      const hit = arg ? kernelMemory(context, caller, call, arg, depth - 1) : undefined;
      if (hit) return { ...hit, caller: call };
    }
  }
  return undefined;
}

function allocated(context: RuleContext, fn: FunctionFacts, at: Call, memory: Expr): Kernel | undefined {
  const taint = context.file.taintOf(fn);
  const types = new Map([...fn.params, ...(fn.locals ?? [])].map((p) => [p.name, typeKey(p.type)]));
  const found = (x: Expr): Kernel | undefined => {
    if (x.kind === 'call' && KERNEL_ALLOCATORS.has(x.name!)) return { via: `${x.name}()`, span: callSpan(fn, x) };
    if (x.kind === 'path') {
      const parts = x.name!.split('.');
      const field = parts.at(-1);
      const type = parts.length === 2 ? types.get(parts[0]!) : undefined;
      if (KERNEL_MEMORY_FIELDS.some((f) => f.type === type && f.field === field)) return { via: `${x.text} (${type}.${field})` };
    }
    return undefined;
  };
  const direct = taint.trace(memory, at, found);
  if (direct) return direct;
  // a list or bvec filled by a writer (sg_init_one/sg_set_buf/sg_set_page) with kernel memory
  const list = root(memory);
  if (!list) return undefined;
  for (const w of fn.calls) {
    const writer = roleOf(w.name, 'writer');
    const target = writer ? w.args[writer.target] : undefined;
    const from = writer ? w.args[writer.from] : undefined;
    if (!target || !from || !fills(fn, target, list)) continue;
    const hit = taint.trace(from, w, found);
    if (hit) return { ...hit, via: `${hit.via}, put into ${target.text} by ${w.name}()` };
  }
  return undefined;
}

/** The writer's target is the mapped list (or table) itself, or an entry of an iterator over it. */
function fills(fn: FunctionFacts, target: Expr, list: string): boolean {
  const t = root(target);
  if (!t) return false;
  if (t === list) return true;
  return fn.calls.some((c) => c.loops.some((l) => l.args[0] && root(l.args[0]) === list && l.args[1] && root(l.args[1]) === t));
}

function root(e: Expr): string | undefined {
  const path = e.kind === 'path' ? e.name : e.kind === 'unary' && e.args[0]?.kind === 'path' ? e.args[0].name : undefined;
  return path?.replace(/^&/, '').split('.')[0];
}

function callSpan(fn: FunctionFacts, x: Expr): Span | undefined {
  return fn.calls.find((c) => c.expr === x || (c.name === x.name && c.expr.text === x.text))?.span;
}

function isParam(fn: FunctionFacts, memory: Expr): boolean {
  return fn.params.some((p) => p.name === root(memory));
}

/** The buffer comes from outside the function: a parameter, or a field of some object. */
function fromOutside(fn: FunctionFacts, memory: Expr): boolean {
  if (memory.kind !== 'path' && !(memory.kind === 'unary' && memory.args[0]?.kind === 'path')) return false;
  if (isParam(fn, memory)) return true;
  const path = memory.kind === 'path' ? memory.name! : memory.args[0]!.name!;
  return path.replace(/^&/, '').includes('.');
}
