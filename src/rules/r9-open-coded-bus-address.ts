import {
  barAddresses, entryPhys, isArithmetic, subExprs, valueParts, type BarAddress, type BarAddressView,
} from '../analysis/bar-addresses.js';
import { namesWith, roleOf } from '../analysis/catalogue.js';
import { matchesAny } from '../analysis/core-files.js';
import type { Call, Expr, FunctionFacts, Initializer, Span } from '../analysis/facts.js';
import { firstAdded } from '../analysis/file-analysis.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';
import type { TaintView } from '../analysis/file-analysis.js';
import { fieldObjectKey } from '../analysis/value-flow.js';

/** R9's own "must not fire" paths besides the global core list (drivers/iommu/*), and arch DMA ops. */
const EXEMPT = [/(^|\/)drivers\/iommu\//];
const DMA_OPS_PATHS = [/(^|\/)arch\//, /(^|\/)drivers\/xen\/swiotlb-xen\.c$/, /(^|\/)drivers\/parisc\//];
const OPS_HOOKS = new Set(['map_sg', 'map_page', 'map_phys', 'map_resource', 'unmap_sg']);
const PEER_LOOKUPS = namesWith('peer-lookup');
const BUS_OFFSET_FIELDS = namesWith('bus-offset-field');
const DMA_ADDRESS_FIELD = /(^|\.)dma_address$/;
const HELPER = 'pci_p2pdma_bus_addr_map()';

export const r9: Rule = {
  meta: {
    id: 'R9',
    slug: 'p2p-open-coded-bus-address',
    name: 'Hand-computed bus or DMA addresses for peer memory',
    defaultSeverity: 'warning',
    versions: 'all. The helper is pci_p2pdma_bus_addr_map() (6.16+), previously pci_p2pmem_virt_to_bus()/the map_sg helpers',
    summary: 'A bus or DMA address for peer memory is computed by hand instead of by the P2PDMA helpers.',
    why: 'The CPU-physical to PCI-bus offset is arch specific (often 0 on x86, often not elsewhere). Open-coded arithmetic has already shipped with the wrong sign for two years, never tested on hardware with a non-zero offset. BUS_ADDR is also only valid when the route stays under the switch.',
    firesWhen: [
      'dma_addr = phys ± offset, pci_bus_address(pdev, bar) + off, pci_resource_start(...) - pci_bus_address(...), or pcibios_resource_to_bus() results are written into device descriptors or sg_dma_address() for a peer device',
      'sg_dma_address(sg) = sg_phys(sg) ... outside a dma_map_ops implementation',
      'sg_dma_mark_bus_address() outside a map_sg implementation or the core',
    ],
    mustNotFire: [
      'drivers/pci/p2pdma.c, include/linux/pci-p2pdma.h, kernel/dma/*, drivers/iommu/*, drivers/dma-buf/dma-buf-mapping.c',
      "a device programming its own BAR's bus address (doorbells, CMB for its own SQ)",
    ],
    fix: "Don't derive bus addresses by hand. Use pci_p2pdma_bus_addr_map() in the BUS_ADDR case (6.16+), or dma_map_sgtable(); these apply the provider's bus_offset correctly.",
    references: [
      { messageId: '20210909032528.24517-1-wanglu@dapustor.com', title: '[PATCH] PCI/P2PDMA: fix the wrong dma address calculation when map sg' },
      { messageId: '8e3b718c-1a74-232c-0e4c-9cc76d3ae1ac@deltatee.com', title: 'Logan Gunthorpe: "never tested on any machine that has a non-zero bus-offset"' },
      { messageId: '20210624054003.GB25165@lst.de', title: 'hch on "habanalabs: add support for dma-buf exporter"' },
    ],
    examples: {
      fires: 'sg->dma_address = pci_bus_address(peer, bar) + offset;',
      quiet: 'sg_dma_address(sg) = pci_p2pdma_bus_addr_map(provider, paddr);',
    },
    triggers: [
      'sg_dma_address', 'dma_address', 'pci_bus_address', 'pcibios_resource_to_bus', 'sg_dma_mark_bus_address', 'bus_offset',
      'bus_off',
    ],
  },

  check(context) {
    if (matchesAny(context.file.path, EXEMPT)) return [];
    const dmaOps = dmaOpsImplementations(context);
    const addresses = barAddresses(context.file);
    return context.functions.flatMap((fn) => {
      const view = addresses(fn);
      const inDmaOps = dmaOps(fn);
      return [
        ...handComputedOffsets(fn, view),
        ...entryDmaAddressWrites(fn, view, inDmaOps, context.file.taintOf(fn)),
        ...(inDmaOps ? [] : busAddressMarks(fn)),
        ...peerDescriptorWrites(context, fn, view),
      ].filter((r) => firstAdded(r.span));
    });
  },
};

/** A value written somewhere, with where the statement stands. */
interface Write {
  target: string;
  /** The value's expressions: the whole right-hand side, or the calls it is known to hold. */
  values: Expr[];
  span: Span;
}

/** `pci_resource_start(...) - pci_bus_address(...)` (either order): the P2P bus offset, by hand. */
function handComputedOffsets(fn: FunctionFacts, view: BarAddressView): RuleReport[] {
  return topLevelExprs(fn).flatMap(({ expr, span }) => {
    for (const e of subExprs(expr)) {
      if (e.kind !== 'binary' || e.name !== '-' || e.args.length !== 2) continue;
      const kinds = e.args.map((a) => view.of(a)?.kind);
      if (!(kinds.includes('cpu-phys') && kinds.includes('bus'))) continue;
      return [{
        span,
        function: fn.name,
        message: `${e.text} computes the CPU-to-bus offset of a BAR by hand; the P2PDMA core keeps it per provider ` +
          `and applies it in ${HELPER} (6.16+) or dma_map_sgtable().`,
      }];
    }
    return [];
  });
}

/** `sg_dma_address(sg) = ...`, `sg->dma_address = ...` with a CPU phys or a hand-made bus address. */
function entryDmaAddressWrites(fn: FunctionFacts, view: BarAddressView, inDmaOps: boolean, flow: TaintView): RuleReport[] {
  return dmaAddressWrites(fn).flatMap((w) => {
    const phys = w.values.flatMap((v) => [...valueParts(v)]).find((e) => entryPhys(e));
    // only a table with P2P/BAR evidence: without it this is an ordinary (if odd) driver, not P2P
    const evidence = phys ? flow.of(entryPhys(phys)!) : undefined;
    if (phys && !inDmaOps && evidence) {
      return [{
        span: w.span,
        function: fn.name,
        message: `${w.target} is set from ${phys.text}, the CPU physical address of an entry that ${evidence.origin === 'evidence' ? 'the code treats as possibly P2P' : 'holds P2P/BAR memory'} (${evidence.via}), outside a dma_map_ops implementation; ` +
          `a peer needs the bus address (${HELPER}) or a mapping (dma_map_sgtable()).`,
      }];
    }
    if (phys) return [];
    const made = handMadeAddress(w.values, view);
    if (!made) return [];
    return [{
      span: w.span,
      function: fn.name,
      message: `${w.target} is set by hand from ${made.text}, ${describe(made.bar, made.text)}; ` +
        `a peer's DMA address needs the provider's CPU-to-bus offset and a route under one switch, which ${HELPER} and dma_map_sgtable() take care of.`,
      related: made.bar.span ? [{ span: made.bar.span, message: `BAR address: ${made.bar.via}` }] : [],
    }];
  });
}

/** `sg_dma_mark_bus_address(sg)` outside a map_sg implementation. */
function busAddressMarks(fn: FunctionFacts): RuleReport[] {
  return fn.calls.filter((c) => c.name === 'sg_dma_mark_bus_address').map((c) => ({
    span: c.span,
    function: fn.name,
    message: `${c.expr.text} marks an entry as a PCI bus address outside a map_sg implementation; ` +
      'only dma_map_sg implementations and the P2PDMA core may set SG_DMA_BUS_ADDRESS.',
  }));
}

/** `desc->addr = pci_bus_address(peer, bar) + off`: a peer's BAR bus address made by hand. */
function peerDescriptorWrites(context: RuleContext, fn: FunctionFacts, view: BarAddressView): RuleReport[] {
  return fn.assignments.flatMap((a) => {
    if (DMA_ADDRESS_FIELD.test(a.lhs)) return []; // reported as a list entry write
    const made = handMadeAddress([a.rhs], view);
    if (!made || made.bar.kind !== 'bus' || !made.bar.owner || !isPeerDevice(context, fn, made.bar.owner, 0)) return [];
    return [{
      span: a.span,
      function: fn.name,
      message: `${a.lhsExpr.text} is set from ${made.text}, a bus address of the peer ${made.bar.owner} made by hand; ` +
        `use ${HELPER}, which applies the provider's bus offset, after pci_p2pdma_map_type() says BUS_ADDR.`,
    }];
  });
}

/**
 * `X ± Y` where X or Y is a BAR address, `phys ± bus_offset`, or a BAR address carried in a
 * local or a call (a field merely named as a BAR address counts only with arithmetic on it).
 */
function handMadeAddress(values: readonly Expr[], view: BarAddressView): { text: string; bar: BarAddress } | undefined {
  for (const value of values) {
    for (const e of valueParts(value)) {
      if (!isArithmetic(e)) continue;
      const offset = e.args.find((a) => a.kind === 'path' && BUS_OFFSET_FIELDS.has(a.name!.split('.').pop()!) && a.name!.includes('.'));
      if (offset) return { text: e.text, bar: { kind: 'bus', via: `${offset.text} applied by hand` } };
      const bar = view.of(e);
      if (bar) return { text: e.text, bar };
    }
    const bar = view.of(value);
    if (bar) return { text: value.text, bar };
  }
  return undefined;
}

function describe(bar: BarAddress, shown: string): string {
  const via = bar.via === shown ? '' : ` (${bar.via})`;
  switch (bar.kind) {
    case 'cpu-phys': return `a CPU physical BAR address${via}`;
    case 'bus': return `a PCI bus address${via}`;
    default: return `a BAR address${via}`;
  }
}

function dmaAddressWrites(fn: FunctionFacts): Write[] {
  const fieldWrites = fn.assignments
    .filter((a) => DMA_ADDRESS_FIELD.test(a.lhs) && a.op === '=')
    .map((a) => ({ target: a.lhsExpr.text, values: [a.rhs], span: a.span }));
  return [...fieldWrites, ...macroWrites(fn)];
}

/**
 * `sg_dma_address(sg) = value;`: the facts record no assignment for a macro-call left-hand side,
 * only the call. Such a call stands alone (nothing stores, returns, tests or passes it), and the
 * calls of its value stand alone after it on the same line; those calls are what is known of
 * the value.
 */
function macroWrites(fn: FunctionFacts): Write[] {
  if (!fn.calls.some((c) => c.name === 'sg_dma_address')) return [];
  const loose = looseCalls(fn);
  return loose.filter((c) => c.name === 'sg_dma_address').map((lhs) => {
    const line = lhs.span.lines[0];
    const values = loose
      .filter((c) => c !== lhs && c.span.lines[0] === line && c.span.column > lhs.span.column)
      .filter((c) => !loose.some((l) => l.name === 'sg_dma_address' && l.span.lines[0] === line && l.span.column > lhs.span.column && l.span.column < c.span.column))
      .map((c) => c.expr);
    return { target: lhs.expr.text, values, span: lhs.span };
  });
}

/** Calls whose value no recorded fact uses (statement-level calls, unrecorded assignment sides); loop headers aside. */
function looseCalls(fn: FunctionFacts): Call[] {
  const used = new Set<Call>();
  const holders: { exprs: Expr[]; span: Span }[] = [
    ...fn.assignments.map((a) => ({ exprs: [a.rhs], span: a.span })),
    ...fn.returns.flatMap((r) => (r.value ? [{ exprs: [r.value], span: r.span }] : [])),
    ...fn.switches.map((s) => ({ exprs: [s.subject], span: s.span })),
    ...fn.initializers.map((i) => ({ exprs: i.fields.map((f) => f.value), span: i.span })),
    ...fn.calls.map((c) => ({ exprs: c.args, span: c.span })),
  ];
  const loopHeads = new Set(fn.calls.flatMap((c) => c.loops).filter((l) => l.kind !== 'iterator').map((l) => l.span.lines[0]));
  for (const call of fn.calls) {
    const line = call.span.lines[0];
    if (call.assignedTo !== undefined || call.returned || call.conditionOf || loopHeads.has(line)) { used.add(call); continue; }
    if (holders.some((h) => h.span.lines.includes(line!) && h.exprs.some((e) => contains(e, call)))) used.add(call);
  }
  return fn.calls.filter((c) => !used.has(c));
}

function contains(holder: Expr, call: Call): boolean {
  for (const e of subExprs(holder)) if (e === call.expr || (e.kind === 'call' && e.name === call.name && e.text === call.expr.text)) return true;
  return false;
}

/** Whether a function is a DMA-ops implementation: installed as a mapping hook, named as one, or arch code. */
function dmaOpsImplementations(context: RuleContext): (fn: FunctionFacts) => boolean {
  const initializers: Initializer[] = [...context.file.post.initializers, ...context.functions.flatMap((f) => f.initializers)];
  const hooks = new Set(initializers.flatMap((i) => i.fields.filter((f) => OPS_HOOKS.has(f.field)).map((f) => f.value.text)));
  const archOps = matchesAny(context.file.path, DMA_OPS_PATHS);
  return (fn) => archOps || hooks.has(fn.name) || hookShaped(fn);
}

/** The expressions a function computes at statement level, with where each stands. */
function topLevelExprs(fn: FunctionFacts): { expr: Expr; span: Span }[] {
  return [
    ...fn.assignments.map((a) => ({ expr: a.rhs, span: a.span })),
    ...fn.returns.flatMap((r) => (r.value ? [{ expr: r.value, span: r.span }] : [])),
    ...fn.calls.filter((c) => c.assignedTo === undefined && !c.returned).map((c) => ({ expr: c.expr, span: c.span })),
  ];
}

/**
 * A `struct dma_map_ops` mapping hook by its signature (the device, a direction and the attrs),
 * for a hook whose ops table is out of sight: `(struct device *, ..., enum dma_data_direction, unsigned long)`.
 */
function hookShaped(fn: FunctionFacts): boolean {
  const types = fn.params.map((p) => p.type.replace(/\s+/g, ' ').trim());
  return types.length >= 4 && /^struct device \*$/.test(types[0]!) && /^enum dma_data_direction$/.test(types[types.length - 2]!) &&
    /^unsigned long$/.test(types[types.length - 1]!);
}

/**
 * Whether the device at `path` is another device than the driver's own, as the code shows it: it
 * comes from a peer lookup (a P2P provider found for a client, a PCI lookup), directly, through a
 * local or a field set in the file, or through the arguments of the file's calls to `fn`. A
 * device whose origin is out of sight is the driver's own (R9 must not fire on its own BAR).
 */
/**
 * `a` in function `fa` and `b` in `fb` name the same object: the same access path, or the same
 * field of the same declared struct type (`ctx->mem` in a filler, `mctx->mem` in its caller).
 */
function sameObject(fa: FunctionFacts, a: string, fb: FunctionFacts, b: string): boolean {
  const key = fieldObjectKey(fa, a);
  return a === b || (key !== undefined && key === fieldObjectKey(fb, b));
}

function isPeerDevice(context: RuleContext, fn: FunctionFacts, path: string, depth: number): boolean {
  if (depth > 4) return false;
  const fromValue = (owner: FunctionFacts, e: Expr): boolean => {
    if (e.kind === 'call') {
      if (PEER_LOOKUPS.has(e.name!)) return true;
      const carrier = roleOf(e.name!, 'carrier');
      if (carrier && e.args[carrier.from]) return fromValue(owner, e.args[carrier.from]!);
      return false;
    }
    if (e.kind === 'unary' && e.args[0]) return fromValue(owner, e.args[0]);
    if (e.kind === 'path') return isPeerDevice(context, owner, e.name!.replace(/\.dev$/, ''), depth + 1);
    return false;
  };
  const local = !path.includes('.');
  for (const other of context.functions) {
    if (local && other !== fn) continue;
    for (const a of other.assignments) if (sameObject(other, a.lhs, fn, path) && fromValue(other, a.rhs)) return true;
  }
  const index = local ? fn.params.findIndex((p) => p.name === path) : -1;
  if (index < 0 || fn.name === '') return false;
  return context.functions.some((caller) => caller.calls.some((c) => c.name === fn.name && c.args[index] && fromValue(caller, c.args[index]!)));
}
