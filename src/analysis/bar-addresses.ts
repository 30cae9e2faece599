import type { Call, Expr, FunctionFacts, Span } from './facts.js';
import type { FileAnalysis } from './file-analysis.js';
import { roleOf } from './catalogue.js';

/**
 * Addresses of PCI BAR memory as the CPU or the bus sees them (spec B1, last row: the raw
 * material of open-coded P2P), as the value-flow engine finds them: through locals, object-keyed
 * struct fields of every file of the patch, the parameters of functions the patch defines, and
 * `+`/`-` arithmetic. R8 asks which dma_map_resource() argument is one, R9 which hand-made bus
 * arithmetic uses one.
 */
export type AddressKind =
  /** CPU physical address of a BAR: pci_resource_start(), `pdev->resource[n].start`. */
  | 'cpu-phys'
  /** PCI bus address: pci_bus_address(), the region pcibios_resource_to_bus() fills. */
  | 'bus'
  ;

export interface BarAddress {
  kind: AddressKind;
  /** Human words: "pci_resource_start(pdev, 2)" or "hdev->dram_pci_bar_start". */
  via: string;
  /** Access path of the device (or the object) whose BAR it is, in the evaluating function. */
  owner?: string;
  span?: Span;
  /** Set when the address reached a parameter: the call of the same file that passed it. */
  through?: { call: Call };
}

export interface BarAddressView {
  of(e: Expr): BarAddress | undefined;
  /** True when `dev` (a struct device expression) is the device that owns `bar`. */
  isOwnDevice(bar: BarAddress, dev: Expr): boolean;
}

export function barAddresses(file: FileAnalysis): (fn: FunctionFacts) => BarAddressView {
  return (fn) => {
    const flow = file.taintOf(fn);
    return {
      of: (e) => {
        const t = flow.all(e).find((x) => x.produces === 'bar-phys' || x.produces === 'bar-bus');
        if (!t) return undefined;
        return { kind: t.produces === 'bar-bus' ? 'bus' : 'cpu-phys', via: t.via, owner: t.owner, span: t.span, through: t.through };
      },
      isOwnDevice: (bar, dev) => isOwnDevice(fn, bar, dev),
    };
  };
}

/** `sg_phys(sg)`, `page_to_phys(sg_page(sg))`: the CPU physical address of a list entry. */
export function entryPhys(e: Expr): Expr | undefined {
  if (e.kind !== 'call') return undefined;
  if (e.name === 'sg_phys') return e.args[0];
  if (e.name === 'page_to_phys' && e.args[0]?.kind === 'call' && e.args[0].name === 'sg_page') return e.args[0].args[0];
  return undefined;
}

/** Every expression inside `e`, `e` first. */
export function* subExprs(e: Expr): Generator<Expr> {
  yield e;
  for (const a of e.args) yield* subExprs(a);
}

/**
 * The parts a value is computed from by arithmetic and address conversions: `e` itself, then
 * into `+`/`-`/unary operands and the argument of the catalogue's carriers, but not into other
 * calls (what a helper returns is the helper's business).
 */
export function* valueParts(e: Expr): Generator<Expr> {
  yield e;
  if (e.kind === 'binary' || e.kind === 'unary') for (const a of e.args) yield* valueParts(a);
  else if (e.kind === 'call' && roleOf(e.name!, 'carrier')?.from === 0 && e.args[0]) yield* valueParts(e.args[0]);
}

/** `a + b`, `a - b` (as written, casts and parentheses looked through). */
export function isArithmetic(e: Expr): boolean {
  return e.kind === 'binary' && (e.name === '+' || e.name === '-');
}

/**
 * `&pdev->dev` for a BAR of `pdev`, or a device reached through the object that holds the
 * address (`hdev->dev` for `hdev->bar_start`): the device maps its own BAR.
 */
function isOwnDevice(fn: FunctionFacts, bar: BarAddress, dev: Expr): boolean {
  let device: Expr | undefined = dev;
  if (bar.through && dev.kind === 'path') {
    const index = fn.params.findIndex((p) => p.name === dev.name);
    device = index >= 0 ? bar.through.call.args[index] : undefined;
    if (!device) return false;
  }
  const owner = bar.owner;
  if (!owner) return false;
  return device.paths.some((p) => p === owner || p.startsWith(`${owner}.`));
}

