import type { Call, Expr, FunctionFacts, Span } from './facts.js';
import type { FileAnalysis } from './file-analysis.js';

/**
 * Addresses of PCI BAR memory as the CPU or the bus sees them (spec B1, last row: the raw
 * material of open-coded P2P), traced through locals, struct fields, the parameters of functions
 * of the same file, and `+`/`-` arithmetic. R8 asks which dma_map_resource() argument is one,
 * R9 which hand-made bus arithmetic uses one.
 *
 * The facts are per file, so a field that another file of the patch sets from
 * pci_resource_start() is unknown here; a field whose own name says it holds a BAR address
 * (`dram_pci_bar_start`, `bar0_base`, `bar_addr`) stands in for that evidence.
 */
export type AddressKind =
  /** CPU physical address of a BAR: pci_resource_start(), `pdev->resource[n].start`. */
  | 'cpu-phys'
  /** PCI bus address: pci_bus_address(), the region pcibios_resource_to_bus() fills. */
  | 'bus'
  /** A struct field named as a BAR address. */
  | 'named-field';

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

const BAR_FIELD_NAME = /(^|_)(bar\d*_(start|addr|address|base|phys|paddr|pa|bus|bus_addr|dma_addr)|aper(ture)?_(base|start))$/;
const GENERIC_FIELDS = new Set([
  'start', 'end', 'addr', 'address', 'base', 'phys', 'phys_addr', 'paddr', 'dma', 'dma_addr', 'offset', 'off', 'len',
  'size', 'val', 'value', 'data',
]);
const RESOURCE_START = /^(.*)\.resource\[[^\]]*\]\.start$/;

/** Calls whose result is the address of their first argument, in another form. */
const ADDRESS_CARRIERS = new Set([
  'page_to_phys', 'PFN_PHYS', 'cpu_to_le64', 'cpu_to_le32', 'lower_32_bits', 'upper_32_bits', 'ALIGN', 'ALIGN_DOWN',
  'round_down', 'round_up', 'virt_to_phys',
]);

const memo = new WeakMap<FileAnalysis, (fn: FunctionFacts) => BarAddressView>();

export function barAddresses(file: FileAnalysis): (fn: FunctionFacts) => BarAddressView {
  let views = memo.get(file);
  if (!views) {
    views = analyse(file.post.functions);
    memo.set(file, views);
  }
  return views;
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
 * into `+`/`-`/unary operands and the first argument of ADDRESS_CARRIERS, but not into other
 * calls (what a helper returns is the helper's business).
 */
export function* valueParts(e: Expr): Generator<Expr> {
  yield e;
  if (e.kind === 'binary' || e.kind === 'unary') for (const a of e.args) yield* valueParts(a);
  else if (e.kind === 'call' && ADDRESS_CARRIERS.has(e.name!) && e.args[0]) yield* valueParts(e.args[0]);
}

/** `a + b`, `a - b` (as written, casts and parentheses looked through). */
export function isArithmetic(e: Expr): boolean {
  return e.kind === 'binary' && (e.name === '+' || e.name === '-');
}

type Env = Map<string, BarAddress>;

function analyse(functions: readonly FunctionFacts[]): (fn: FunctionFacts) => BarAddressView {
  const fields: Env = new Map();
  const params = new Map<string, Env>();
  const envs = new Map<FunctionFacts, Env>();
  const byName = new Map(functions.filter((f) => f.name !== '').map((f) => [f.name, f]));

  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (const fn of functions) {
      const env = localEnv(fn, fields, params.get(fn.name));
      envs.set(fn, env);
      for (const a of fn.assignments) {
        if (!a.lhs.includes('.')) continue;
        const field = fieldKey(a.lhs);
        const bar = evaluate(a.rhs, env, fields);
        if (bar && !fields.has(field)) { fields.set(field, { ...bar, owner: undefined, through: undefined, span: bar.span ?? a.span }); changed = true; }
      }
      for (const call of fn.calls) changed = bindParams(call, byName.get(call.name), env, fields, params) || changed;
    }
    if (!changed) break;
  }

  return (fn) => {
    const env = envs.get(fn) ?? localEnv(fn, fields, params.get(fn.name));
    return {
      of: (e) => evaluate(e, env, fields),
      isOwnDevice: (bar, dev) => isOwnDevice(fn, bar, dev),
    };
  };
}

/** A call of a function of the same file hands BAR addresses on to its parameters. */
function bindParams(call: Call, callee: FunctionFacts | undefined, env: Env, fields: Env, params: Map<string, Env>): boolean {
  if (!callee || callee.params.length === 0) return false;
  let bound = params.get(callee.name);
  let changed = false;
  call.args.forEach((arg, i) => {
    const name = callee.params[i]?.name;
    if (!name || bound?.has(name)) return;
    const bar = evaluate(arg, env, fields);
    if (!bar) return;
    bound ??= new Map();
    params.set(callee.name, bound);
    bound.set(name, { ...bar, span: bar.span ?? call.span, through: { call } });
    changed = true;
  });
  return changed;
}

function localEnv(fn: FunctionFacts, fields: Env, fromCallers: Env | undefined): Env {
  const env: Env = new Map(fromCallers);
  for (const c of fn.calls) {
    const region = c.name === 'pcibios_resource_to_bus' ? c.args[1] : undefined;
    if (region?.kind === 'path') env.set(region.name!, { kind: 'bus', via: `${c.name}()`, span: c.span });
  }
  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (const a of fn.assignments) {
      if (a.op !== '=' || env.has(a.lhs)) continue;
      const bar = evaluate(a.rhs, env, fields);
      if (bar) { env.set(a.lhs, { ...bar, span: bar.span ?? a.span }); changed = true; }
    }
    if (!changed) break;
  }
  return env;
}

function evaluate(e: Expr, env: Env, fields: Env): BarAddress | undefined {
  switch (e.kind) {
    case 'call': {
      const owner = e.args[0]?.kind === 'path' ? e.args[0].name : undefined;
      if (e.name === 'pci_resource_start') return { kind: 'cpu-phys', via: e.text, owner };
      if (e.name === 'pci_bus_address') return { kind: 'bus', via: e.text, owner };
      if (ADDRESS_CARRIERS.has(e.name!) && e.args[0]) return evaluate(e.args[0], env, fields);
      return undefined;
    }
    case 'path':
      return pathAddress(e, env, fields);
    case 'binary':
      // base + offset, offset + base, base - offset; `x - base` is an offset, not an address.
      if (e.name === '+') return e.args.map((a) => evaluate(a, env, fields)).find(Boolean);
      if (e.name === '-' && e.args[0]) return evaluate(e.args[0], env, fields);
      return undefined;
    default:
      return undefined;
  }
}

function pathAddress(e: Expr, env: Env, fields: Env): BarAddress | undefined {
  const path = e.name!;
  const known = env.get(path) ?? env.get(path.replace(/\[[^\]]*\]$/, ''));
  if (known) return known;
  const resource = RESOURCE_START.exec(path);
  if (resource) return { kind: 'cpu-phys', via: e.text, owner: resource[1] };
  const dot = path.lastIndexOf('.');
  if (dot < 0) return undefined;
  const region = env.get(path.slice(0, dot)); // `region.start` after pcibios_resource_to_bus(bus, &region, res)
  if (region) return region;
  const viaField = fields.get(fieldKey(path));
  if (viaField) return { ...viaField, via: `${e.text} (set from ${viaField.via})`, owner: rootOf(e) };
  const field = lastSegment(path);
  if (BAR_FIELD_NAME.test(field)) return { kind: 'named-field', via: `${e.text}, a field named as a BAR address`, owner: rootOf(e) };
  return undefined;
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

function rootOf(e: Expr | undefined): string | undefined {
  if (!e || e.kind !== 'path') return undefined;
  return e.name!.split('.')[0]!.replace(/\[[^\]]*\]$/, '');
}

/**
 * Fields are known by name across the functions of a file; a generic name (`start`, `addr`) only
 * together with its container's (`phys_vec.paddr`, `mem.start`).
 */
function fieldKey(path: string): string {
  const field = lastSegment(path);
  if (!GENERIC_FIELDS.has(field)) return field;
  const parent = path.slice(0, path.lastIndexOf('.'));
  return `${lastSegment(parent)}.${field}`;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1).replace(/\[[^\]]*\]$/, '');
}
