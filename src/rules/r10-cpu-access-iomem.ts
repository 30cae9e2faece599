import { matchesAny } from '../analysis/core-files.js';
import type { Call, Expr, FunctionFacts, Initializer, Span } from '../analysis/facts.js';
import { firstAdded, type TaintView } from '../analysis/file-analysis.js';
import { provesNotP2P } from '../analysis/guards.js';
import {
  LIST_MAP_CALLS, P2P_CARRYING_CALLS, P2P_GUP_FLAGS, SINGLE_MAP_CALLS,
} from '../analysis/p2p-api.js';
import type { Taint } from '../analysis/value-flow.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';
import { namesWith, roleOf } from '../analysis/catalogue.js';

/** Calls that make a CPU pointer of a page or list entry, or copy through one; value: the memory arguments (catalogue). */
const PAGE_ACCESS: ReadonlyMap<string, readonly number[]> = new Map(
  [...namesWith('cpu-access', (r) => r.through === 'page')].map((n) => [n, roleOf(n, 'cpu-access')!.memory]),
);

/** CPU copies through a pointer (the kernel-side pointer of the user copies), from the catalogue. */
const BYTE_ACCESS: ReadonlyMap<string, readonly number[]> = new Map(
  [...namesWith('cpu-access', (r) => r.through === 'pointer')].map((n) => [n, roleOf(n, 'cpu-access')!.memory]),
);
const CHECKSUM_OR_CRYPTO = /^(crc|crypto_)/;

/** Calls that only take the address of a VA (no access), and the mapping calls R2 judges. */
const ADDRESS_ONLY = new Set([
  ...P2P_CARRYING_CALLS, ...SINGLE_MAP_CALLS.keys(), ...LIST_MAP_CALLS, 'sg_set_buf', 'sg_init_one', 'offset_in_page',
  'virt_addr_valid', 'is_vmalloc_addr', '__pa',
]);

/** The page accesses that only compute a VA: they dereference nothing by themselves. */
const VA_OF = new Set(['sg_virt', 'page_address', 'bvec_virt', 'folio_address']);

const DMA_BUF_MAPS = new Set(['dma_buf_map_attachment', 'dma_buf_map_attachment_unlocked']);

const BOUNCE_LIMITS_THAT_DO_NOT_BOUNCE = new Set(['BLK_BOUNCE_NONE', 'BLK_BOUNCE_ANY']);

const VIRT_DMA_DRIVER = [/(^|\/)drivers\/infiniband\/sw\//];
const VIRT_DMA_CONVERSIONS = ['ib_virt_dma_to_page', 'ib_virt_dma_to_ptr'];
const PEER_MEMORY_IMPORTS = new Set([
  'ib_umem_dmabuf_get', 'ib_umem_dmabuf_get_pinned', 'ib_umem_dmabuf_get_pinned_with_dma_device', 'dma_buf_attach',
  'dma_buf_dynamic_attach', ...DMA_BUF_MAPS,
]);

const FIX = 'use memcpy_toio()/memcpy_fromio() or refuse P2P pages on this path';

export const r10: Rule = {
  meta: {
    id: 'R10',
    slug: 'p2p-cpu-access-iomem',
    name: 'CPU dereference of P2P/BAR memory',
    defaultSeverity: 'warning',
    versions: 'all. The docs state it explicitly from 6.19',
    summary: 'P2P or BAR memory is read or written by the CPU through kmap/page_address/sg_virt/memcpy and the like.',
    why: 'The kernel VA of a P2P page is MMIO. memcpy, memset, crypto or checksum through kmap/page_address/sg_virt "will actually work on some architectures, others will experience corruption or just crash" (6.19 p2pdma.rst); "you can\'t portably use CPU instructions to access them" (Jason). Bounce buffering has the same problem. dma-buf SGLs from the phys_vec helper deliberately carry no CPU list.',
    firesWhen: [
      'a P2P-tainted value goes to memcpy/memset/memmove/copy_{to,from}_user/kmap*/page_address/sg_virt/bvec_virt/sg_copy_*/sg_miter_*/crc*/crypto_* over pages or SGLs',
      'swiotlb/bounce is forced for a P2P-capable queue',
      'a software RDMA device (ib_uses_virt_dma) imports dma-bufs or FOLL_PCI_P2PDMA MRs',
    ],
    mustNotFire: [
      'memcpy_toio/memcpy_fromio/readX/writeX/__iowrite*_copy on pci_alloc_p2pmem memory',
      "the provider's own queue memory (nvme CMB SQ written with memcpy()): silent in unchanged code and file scans; one info design note when a patch adds or rewrites such a copy",
      'code under !is_pci_p2pdma_page()',
      "the providing driver's own MMIO accessors",
    ],
    fix: "P2P memory is iomem for the CPU. Use memcpy_toio()/memcpy_fromio() or refuse P2P pages on this path. Never kmap/memcpy them or take sg_page() from a peer dma-buf sgt.",
    references: [
      { messageId: '20210623182435.GX1096940@ziepe.ca', title: 'Jason Gunthorpe on CPU access to P2P memory (habanalabs dma-buf)' },
      { messageId: '8f912671-f1d9-4f73-9c1d-e39938bfc09f@arm.com', title: 'Robin Murphy on swiotlb=force and MMIO' },
      { messageId: '20251120-dmabuf-vfio-v9-6-d7f71607f371@nvidia.com', title: '[PATCH v9 06/11] dma-buf: provide phys_vec to scatter-gather mapping routine (NULL CPU list by design)' },
    ],
    examples: {
      fires: 'buf = pci_alloc_p2pmem(pdev, len);\nmemset(buf, 0, len);',
      quiet: 'buf = pci_alloc_p2pmem(pdev, len);\nmemset_io(buf, 0, len);',
    },
    triggers: [
      'pci_alloc_p2pmem', 'pci_p2pmem_alloc_sgl', 'is_pci_p2pdma_page', 'FOLL_PCI_P2PDMA', 'ITER_ALLOW_P2PDMA',
      'pci_p2pdma_map_sg', 'pci_p2pdma_map_sg_attrs', 'rdma_rw_map_sg', 'pci_resource_start', 'pci_bus_address',
      'ioremap', 'ioremap_wc', 'devm_ioremap', 'pci_iomap', 'pcim_iomap', 'pci_ioremap_bar',
      'dma_buf_map_attachment', 'dma_buf_map_attachment_unlocked', 'BLK_FEAT_PCI_P2PDMA', 'QUEUE_FLAG_PCI_P2PDMA',
      'ib_umem_dmabuf_get', 'ib_umem_dmabuf_get_pinned', 'ib_umem_dmabuf_get_pinned_with_dma_device',
      'reg_user_mr_dmabuf', 'dma_buf_attach', 'dma_buf_dynamic_attach',
    ],
  },

  check(context) {
    return [
      // sg_page()/sg_virt() on imported dma-buf tables moved to R17 (spec revision 4)
      ...context.functions.flatMap((fn) => taintedAccess(context, fn)),
      ...bouncedP2PQueue(context),
      ...virtDmaImports(context),
    ].filter((r) => firstAdded(r.span));
  },
};

/** A P2P-tainted page, list or VA reaches a CPU access. */
function taintedAccess(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  const taint = context.file.taintOf(fn);
  return fn.calls.flatMap((call): RuleReport[] => {
    if (provesNotP2P(call.guards) || onlyTakesAddress(fn, call)) return [];
    for (const arg of memoryArgs(call)) {
      const t = accessedTaint(arg, taint.at(call), taint, PAGE_ACCESS.has(call.name));
      if (!t) continue;
      const provider = t.produces === 'p2pmem-va' ? context.file.flow.providerOf(context.file.path) : undefined;
      if (provider) {
        // the provider's own queue memory (nvme CMB SQ): silent in unchanged code and whole-file
        // scans; a patch that adds or rewrites such a copy gets one design note
        if (context.patch.kind === 'c-file' || context.file.wholeFile && !firstAdded(call.span)) return [];
        return [{
          span: call.span,
          function: fn.name,
          severity: 'info',
          message: `${call.name}() writes ${arg.text}, the driver's own p2pmem (${t.via}; it registers itself as a provider), with a plain CPU copy; ` +
            'since 6.19 p2pdma.rst forbids plain CPU copies to p2pmem KVAs, and memcpy_toio() is the portable form.',
          related: [{ span: provider, message: 'the driver registers its own BAR as P2P memory here' }],
        }];
      }
      return [{
        span: call.span,
        function: fn.name,
        severity: t.origin === 'p2pmem' && !t.indirect ? 'error' : 'warning',
        message: `${call.name}() accesses ${arg.text} with the CPU, and it ${describeTaint(t)}; ` +
          `the kernel VA of P2P memory is MMIO: ${FIX}.`,
        related: t.span ? [{ span: t.span, message: `P2P source: ${t.via}` }] : [],
      }];
    }
    return [];
  });
}

function memoryArgs(call: Call): Expr[] {
  const indices = PAGE_ACCESS.get(call.name) ?? BYTE_ACCESS.get(call.name);
  if (indices) return indices.flatMap((i) => (call.args[i] ? [call.args[i]!] : []));
  return CHECKSUM_OR_CRYPTO.test(call.name) ? call.args : [];
}

/**
 * Taint of the memory an argument points at: through page/VA conversions and pointer
 * arithmetic (`va + off`: the left operand); a bvec counts by its `bv_page`. Byte copies count
 * only a pci_alloc_p2pmem() VA; pages and lists from GUP, BARs or P2P tests count where a page
 * or entry is turned into a VA.
 */
function accessedTaint(arg: Expr, here: { of(e: Expr): Taint | undefined }, taint: TaintView, pageAccess: boolean): Taint | undefined {
  const root = pointerRoot(arg);
  const t = here.of(root) ?? (pageAccess && root.kind === 'path' ? taint.paths.get(`${root.name}.bv_page`) : undefined);
  if (!t) return undefined;
  if (pageAccess) return t;
  return t.produces === 'p2pmem-va' ? t : undefined;
}

function pointerRoot(e: Expr): Expr {
  if (e.kind === 'call' && P2P_CARRYING_CALLS.has(e.name!) && e.args[0]) return pointerRoot(e.args[0]);
  if (e.kind === 'binary' && (e.name === '+' || e.name === '-') && e.args[0]) return pointerRoot(e.args[0]);
  return e;
}

/** `virt_to_page(sg_virt(sg))`, `dma_map_single(dev, sg_virt(sg), ...)`: the VA is never dereferenced here. */
function onlyTakesAddress(fn: FunctionFacts, call: Call): boolean {
  if (!VA_OF.has(call.name)) return false;
  return fn.calls.some((outer) => ADDRESS_ONLY.has(outer.name) && outer !== call && outer.args.some((a) => holds(a, call.expr)));
}

function holds(holder: Expr, e: Expr): boolean {
  return holder === e || (holder.kind === e.kind && holder.name === e.name && holder.text === e.text) || holder.args.some((a) => holds(a, e));
}

function describeTaint(t: Taint): string {
  switch (t.origin) {
    case 'p2pmem': return `comes from ${t.via} (P2P memory)`;
    case 'bar': return `comes from ${t.via} (BAR/MMIO)`;
    case 'gup': return `holds pages from ${t.via}, which may be P2P`;
    default: return `may be P2P memory (${t.via})`;
  }
}

function loopsOf(fn: FunctionFacts) {
  return [...new Map([...fn.calls, ...fn.assignments].flatMap((f) => f.loops).map((l) => [l.id, l])).values()];
}

interface Fact { span: Span; what: string }

/** A queue that advertises P2PDMA also bounces its I/O through swiotlb or the block bounce buffers. */
function bouncedP2PQueue(context: RuleContext): RuleReport[] {
  const advertised = context.functions.flatMap((fn) => p2pAdvertisements(fn));
  if (advertised.length === 0) return [];
  return context.functions.flatMap((fn) => forcedBounces(fn).map((b) => ({
    span: b.span,
    function: fn.name,
    message: `${b.what} forces bounce buffering on a queue that advertises P2PDMA (${advertised[0]!.what}); ` +
      'bouncing copies P2P pages with the CPU (memcpy on MMIO). Do not advertise P2PDMA when I/O is bounced.',
    related: [{ span: advertised[0]!.span, message: `P2PDMA advertised: ${advertised[0]!.what}` }],
  })));
}

function p2pAdvertisements(fn: FunctionFacts): Fact[] {
  return [
    ...fn.assignments
      .filter((a) => /features$/.test(a.lhs) && a.op !== '&=' && a.rhs.identifiers.includes('BLK_FEAT_PCI_P2PDMA'))
      .map((a) => ({ span: a.span, what: `${a.lhsExpr.text} ${a.op} ${a.rhs.text}` })),
    ...fn.calls
      .filter((c) => c.name === 'blk_queue_flag_set' && c.args[0]?.text === 'QUEUE_FLAG_PCI_P2PDMA')
      .map((c) => ({ span: c.span, what: c.expr.text })),
  ];
}

function forcedBounces(fn: FunctionFacts): Fact[] {
  const bounces = (e: Expr | undefined) => !!e && e.identifiers.some((i) => /^BLK_BOUNCE_/.test(i) && !BOUNCE_LIMITS_THAT_DO_NOT_BOUNCE.has(i));
  return [
    ...fn.calls.filter((c) => c.name === 'blk_queue_bounce_limit' && bounces(c.args[1])).map((c) => ({ span: c.span, what: c.expr.text })),
    ...fn.assignments
      .filter((a) => (/(^|\.)bounce$/.test(a.lhs) && bounces(a.rhs)) || a.rhs.identifiers.includes('SWIOTLB_FORCE'))
      .map((a) => ({ span: a.span, what: `${a.lhsExpr.text} = ${a.rhs.text}` })),
  ];
}

/** A virt-DMA RDMA driver (rxe, siw, rdmavt: DMA address == kernel VA) takes dma-bufs or P2P pins. */
function virtDmaImports(context: RuleContext): RuleReport[] {
  const ids = context.file.post.identifiers;
  if (!matchesAny(context.file.path, VIRT_DMA_DRIVER) && !VIRT_DMA_CONVERSIONS.some((id) => ids.has(id))) return [];
  const message = (what: string) => `${what} lets peer (P2P) memory into a software RDMA device, which accesses MR memory with the CPU ` +
    '(its DMA address is a kernel VA); it must reject dma-bufs and FOLL_PCI_P2PDMA pins.';
  const initializers: Initializer[] = [...context.file.post.initializers, ...context.functions.flatMap((f) => f.initializers)];
  return [
    ...initializers.flatMap((i) => i.fields.filter((f) => f.field === 'reg_user_mr_dmabuf'))
      .map((f) => ({ span: f.span, message: message(`.reg_user_mr_dmabuf = ${f.value.text}`) })),
    ...context.functions.flatMap((fn) => [
      ...fn.calls.filter((c) => PEER_MEMORY_IMPORTS.has(c.name) || c.args.some((a) => a.identifiers.some((i) => P2P_GUP_FLAGS.has(i))))
        .map((c) => ({ span: c.span, function: fn.name, message: message(`${c.name}()`) })),
      ...fn.assignments.filter((a) => a.rhs.identifiers.some((i) => P2P_GUP_FLAGS.has(i)))
        .map((a) => ({ span: a.span, function: fn.name, message: message(`${a.lhsExpr.text} ${a.op} ${a.rhs.text}`) })),
    ]),
  ];
}
