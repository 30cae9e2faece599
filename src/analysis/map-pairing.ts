import { atoms } from './expressions.js';
import type { FileAnalysis } from './file-analysis.js';
import type { Call, Expr, FunctionFacts, Guard, Span, Switch } from './facts.js';
import { provesNotP2P } from './guards.js';
import { MAP_TYPE_CALLS, MAP_TYPE_VALUES, P2P_PAGE_TESTS } from './p2p-api.js';

/**
 * Map/unmap pairing (spec B5): which DMA-API call maps or unmaps what, which attrs a call really
 * passes, which map calls an unmap mirrors, what the removed lines did at the same place, and
 * where a call stands with respect to the P2P map type (THRU_HOST_BRIDGE, BUS_ADDR, NONE arms).
 */

export type Family = 'phys' | 'page' | 'single' | 'iova' | 'resource' | 'iommu' | 'list' | 'p2p-list';

export interface MappingApi {
  role: 'map' | 'unmap';
  family: Family;
  /** What identifies the mapping: the list, the IOVA state, the memory (map) or the DMA address (unmap). */
  subject: number;
  /** The memory a map call maps (phys, page or VA), when it differs from the subject. */
  memory?: number;
  /** The attrs argument; absent for forms that take none (dma_unmap_page). */
  attrs?: number;
}

const api = (role: MappingApi['role'], family: Family, attrs?: number, memory?: number): MappingApi =>
  ({ role, family, subject: 1, attrs, memory: memory ?? (role === 'map' ? 1 : undefined) });

const MAPPING_API: ReadonlyMap<string, MappingApi> = new Map([
  ['dma_map_phys', api('map', 'phys', 4)], ['dma_unmap_phys', api('unmap', 'phys', 4)],
  ['dma_iova_link', api('map', 'iova', 6, 2)], ['dma_iova_unlink', api('unmap', 'iova', 5)],
  ['dma_iova_destroy', api('unmap', 'iova', 4)],
  ['dma_map_page', api('map', 'page')], ['dma_map_page_attrs', api('map', 'page', 5)],
  ['dma_unmap_page', api('unmap', 'page')], ['dma_unmap_page_attrs', api('unmap', 'page', 4)],
  ['dma_map_single', api('map', 'single')], ['dma_map_single_attrs', api('map', 'single', 4)],
  ['dma_unmap_single', api('unmap', 'single')], ['dma_unmap_single_attrs', api('unmap', 'single', 4)],
  ['dma_map_resource', api('map', 'resource', 4)], ['dma_unmap_resource', api('unmap', 'resource', 4)],
  ['dma_map_sg', api('map', 'list')], ['dma_map_sg_attrs', api('map', 'list', 4)], ['dma_map_sgtable', api('map', 'list', 3)],
  ['ib_dma_map_sg', api('map', 'list')], ['ib_dma_map_sg_attrs', api('map', 'list', 4)],
  ['ib_dma_map_sgtable_attrs', api('map', 'list', 3)],
  ['dma_unmap_sg', api('unmap', 'list')], ['dma_unmap_sg_attrs', api('unmap', 'list', 4)],
  ['dma_unmap_sgtable', api('unmap', 'list', 3)], ['ib_dma_unmap_sg', api('unmap', 'list')],
  ['ib_dma_unmap_sg_attrs', api('unmap', 'list', 4)], ['ib_dma_unmap_sgtable_attrs', api('unmap', 'list', 3)],
  ['pci_p2pdma_map_sg', api('map', 'p2p-list')], ['pci_p2pdma_map_sg_attrs', api('map', 'p2p-list', 4)],
  ['rdma_rw_map_sg', api('map', 'p2p-list')],
  ['pci_p2pdma_unmap_sg', api('unmap', 'p2p-list')], ['pci_p2pdma_unmap_sg_attrs', api('unmap', 'p2p-list', 4)],
  ['rdma_rw_unmap_sg', api('unmap', 'p2p-list')],
  ['iommu_unmap', api('unmap', 'iommu')],
]);

export const THRU_HOST_BRIDGE = 'PCI_P2PDMA_MAP_THRU_HOST_BRIDGE';
export const BUS_ADDR = 'PCI_P2PDMA_MAP_BUS_ADDR';
export const MMIO_ATTR = 'DMA_ATTR_MMIO';
export const BUS_ADDRESS_TESTS: ReadonlySet<string> = new Set(['sg_dma_is_bus_address', 'sg_is_dma_bus_address']);

/** A call with the function it sits in. */
export interface Placed {
  fn: FunctionFacts;
  call: Call;
}

export function mappingApi(call: Call): MappingApi | undefined {
  return MAPPING_API.get(call.name);
}

export function subjectOf(call: Call): Expr | undefined {
  const info = mappingApi(call);
  return info ? call.args[info.subject] : undefined;
}

export function memoryOf(call: Call): Expr | undefined {
  const index = mappingApi(call)?.memory;
  return index === undefined ? undefined : call.args[index];
}

export function attrsOf(call: Call): Expr | undefined {
  const index = mappingApi(call)?.attrs;
  return index === undefined ? undefined : call.args[index];
}

export type Tri = 'yes' | 'no' | 'unknown';

/**
 * Whether `call` passes `attr`: in its attrs argument, or through a local the function sets.
 * 'no' only when that is certain from what the patch shows (a constant, a form without attrs, a
 * local whose every visible assignment is a constant); a parameter or a field is 'unknown'.
 */
export function passesAttr(fn: FunctionFacts, call: Call, attr: string): Tri {
  const info = mappingApi(call);
  if (!info) return 'unknown';
  if (info.attrs === undefined) return 'no';
  const arg = call.args[info.attrs];
  return arg ? valueHolds(fn, arg, attr) : 'unknown';
}

export function valueHolds(fn: FunctionFacts, e: Expr, attr: string): Tri {
  if (setsBit(e, attr)) return 'yes';
  if (isConstant(e)) return 'no';
  // issue 14 spec revision: attrs are a bitmask; `attrs & ~DMA_ATTR_MMIO` passes what attrs holds, less the bit
  if (e.kind === 'binary' && e.name === '&' && e.identifiers.includes(attr)) {
    const rest = e.args.filter((a) => !(a.kind === 'unary' && a.name === '~' && a.identifiers.includes(attr)));
    return rest.length < e.args.length ? 'no' : 'unknown';
  }
  if (e.kind !== 'path' || !isLocal(fn, e.name!)) return 'unknown';
  const sets = fn.assignments.filter((a) => a.lhs === e.name);
  if (sets.some((a) => a.op !== '&=' && setsBit(a.rhs, attr))) return 'yes';
  return sets.length > 0 && sets.every((a) => isConstant(a.rhs)) ? 'no' : 'unknown';
}

// issue 14 spec revision (R7: attrs read as a bitmask)
/** The value may carry `attr` as a set bit: it names it outside a complement (`x & ~ATTR` and `~ATTR` clear it). */
export function setsBit(e: Expr, attr: string): boolean {
  if (!e.identifiers.includes(attr)) return false;
  if (e.kind === 'unary' && e.name === '~') return false;
  if (e.kind === 'binary' || e.kind === 'unary') return e.args.some((a) => setsBit(a, attr));
  return true;
}
// end issue 14 spec revision

/** Values given to a path in the function (assignments and initialised declarations). */
export function assignmentsTo(fn: FunctionFacts, path: string): Expr[] {
  return fn.assignments.filter((a) => a.lhs === path).map((a) => a.rhs);
}

/** A number, or an expression of upper-case constants only (`DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_NO_WARN`). */
function isConstant(e: Expr): boolean {
  if (e.kind === 'number') return true;
  return e.callNames.length === 0 && e.identifiers.length > 0 && e.identifiers.every((i) => /^[A-Z][A-Z0-9_]*$/.test(i));
}

function isLocal(fn: FunctionFacts, path: string): boolean {
  return /^[A-Za-z_]\w*$/.test(path) && !fn.params.some((p) => p.name === path);
}

/** The access path that names a mapping's subject, seen through one local alias (`state = attach->priv`). */
export function subjectKey(fn: FunctionFacts, e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  const path = e.kind === 'path' ? e.name! : e.paths[0];
  if (path === undefined) return undefined;
  const aliases = assignmentsTo(fn, path).filter((v) => v.kind === 'path');
  return aliases.length === 1 ? aliases[0]!.name : path;
}

/**
 * The map calls an unmap mirrors: same family, in the same function when it maps there, else
 * anywhere in the file; for IOVA states, the ones on the same state when the key tells.
 */
export function counterparts(functions: readonly FunctionFacts[], fn: FunctionFacts, unmap: Call): Placed[] {
  const info = mappingApi(unmap);
  if (!info || info.role !== 'unmap') return [];
  const mapsIn = (f: FunctionFacts): Placed[] => f.calls
    .filter((c) => { const m = mappingApi(c); return m?.role === 'map' && m.family === info.family; })
    .map((call) => ({ fn: f, call }));
  const local = mapsIn(fn);
  const found = local.length > 0 ? local : functions.flatMap(mapsIn);
  if (info.family !== 'iova') return found;
  const key = subjectKey(fn, subjectOf(unmap));
  const same = found.filter((p) => subjectKey(p.fn, subjectOf(p.call)) === key);
  return same.length > 0 ? same : found;
}

/**
 * The same call in the removed lines: a changed map (or unmap) call of the same function on the
 * same subject. It tells what the code passed before the patch.
 */
function preImageTwin(file: FileAnalysis, fn: FunctionFacts, call: Call): Placed | undefined {
  const info = mappingApi(call);
  const subject = subjectOf(call)?.text;
  if (!info || subject === undefined) return undefined;
  for (const pre of preImageOf(file, fn)) {
    const twin = pre.calls.find((c) => mappingApi(c)?.role === info.role && subjectOf(c)?.text === subject &&
      c.span.lines.some((l) => l.kind === '-'));
    if (twin) return { fn: pre, call: twin };
  }
  return undefined;
}

/**
 * The pre-image facts of a post-image function: same name, or, for a hunk parsed outside any
 * function (one that starts on the function's opening brace), the one sharing its context lines.
 */
export function preImageOf(file: FileAnalysis, fn: FunctionFacts): FunctionFacts[] {
  if (fn.name !== '') return file.pre.functions.filter((p) => p.name === fn.name);
  const lines = new Set(factLines(fn).filter((l) => l.kind === ' '));
  return file.pre.functions.filter((p) => p.name === '' && factLines(p).some((l) => lines.has(l)));
}

function factLines(fn: FunctionFacts): Span['lines'] {
  return [...fn.calls, ...fn.assignments, ...fn.returns].flatMap((f) => f.span.lines);
}

/** The removed lines of the same function passed DMA_ATTR_MMIO where the added call no longer does. */
export function droppedMmio(file: FileAnalysis, fn: FunctionFacts, call: Call): Placed | undefined {
  if (passesAttr(fn, call, MMIO_ATTR) !== 'no') return undefined;
  const twin = preImageTwin(file, fn, call);
  return twin && passesAttr(twin.fn, twin.call, MMIO_ATTR) === 'yes' ? twin : undefined;
}

/**
 * Words for "this memory is P2P/MMIO": HMM_PFN_P2PDMA, REQ_P2PDMA, IOD_DATA_MMIO, DMA_ATTR_MMIO, the
 * map types. Capabilities and opt-ins (CONFIG_PCI_P2PDMA, FOLL_PCI_P2PDMA, BLK_FEAT_PCI_P2PDMA) say
 * nothing about one mapping.
 */
function isP2PStateWord(id: string): boolean {
  if (/^(CONFIG|FOLL|ITER|BLK_FEAT|QUEUE_FLAG|DMA_F)_/.test(id)) return false;
  return /P2PDMA|(^|_)P2P(_|$)|MMIO/.test(id) || MAP_TYPE_VALUES.has(id);
}

function isBusWord(id: string): boolean {
  return /BUS/.test(id);
}

/** The function keeps or tests P2P/MMIO state somewhere (a map type, a P2P flag, the MMIO attr). */
export function holdsP2PState(fn: FunctionFacts): boolean {
  const exprs: Expr[] = [
    ...fn.ifs.map((g) => g.cond), ...fn.switches.map((s) => s.subject), ...fn.calls.map((c) => c.expr),
    ...fn.assignments.flatMap((a) => [a.lhsExpr, a.rhs]),
  ];
  return fn.switches.some((s) => s.arms.some((a) => a.labels.some((l) => MAP_TYPE_VALUES.has(l)))) ||
    exprs.some((e) => e.identifiers.some(isP2PStateWord) ||
      e.callNames.some((n) => MAP_TYPE_CALLS.has(n) || P2P_PAGE_TESTS.has(n)));
}

type Atom = { expr: Expr; positive: boolean };

function guardAtoms(g: Guard): Atom[] {
  return g.kind === 'case' ? [] : atoms(g.cond, g.positive);
}

/** The guard that puts a fact in the arm of map type `value` (a `case`, or `== value`). */
export function mapTypeArm(guards: readonly Guard[], value: string): Guard | undefined {
  return guards.find((g) => (g.kind === 'case' ? !!g.labels?.includes(value) : guardAtoms(g).some((a) => comparesTo(a, value))));
}

function comparesTo(a: Atom, value: string): boolean {
  const e = a.expr;
  if (e.kind !== 'binary' || (e.name !== '==' && e.name !== '!=')) return false;
  return e.args.some((x) => x.identifiers.includes(value)) && (e.name === '==') === a.positive;
}

/** The guard that holds `sg_dma_is_bus_address(sg)` (or its 6.0-6.4 name) as true. */
export function busAddressTest(guards: readonly Guard[]): Guard | undefined {
  return guards.find((g) => guardAtoms(g).some((a) => a.positive && isBusAddressTest(a.expr)));
}

function isBusAddressTest(e: Expr): boolean {
  return e.kind === 'call' && BUS_ADDRESS_TESTS.has(e.name!);
}

/** A positive test of a P2P/MMIO flag that is not the bus-address one (`pfns[i] & HMM_PFN_P2PDMA`). */
export function p2pFlagGuard(guards: readonly Guard[]): Guard | undefined {
  return guards.find((g) => guardAtoms(g).some((a) => a.positive && !isMapTypeTest(a.expr) &&
    (a.expr.callNames.some((n) => P2P_PAGE_TESTS.has(n)) ||
      (a.expr.identifiers.some(isP2PStateWord) && !a.expr.identifiers.some(isBusWord)))));
}

function isMapTypeTest(e: Expr): boolean {
  return e.identifiers.some((i) => MAP_TYPE_VALUES.has(i));
}

/**
 * Where memory cannot be MMIO: proven not P2P, the NONE or BUS_ADDR arm, a bus-address test,
 * or a P2P/MMIO flag known to be clear.
 */
export function notMmioPlace(guards: readonly Guard[]): Guard | undefined {
  return provesNotP2P(guards) ?? mapTypeArm(guards, 'PCI_P2PDMA_MAP_NONE') ?? mapTypeArm(guards, BUS_ADDR) ??
    busAddressTest(guards) ?? guards.find((g) => guardAtoms(g).some((a) => !isMapTypeTest(a.expr) &&
      a.expr.identifiers.some((i) => isP2PStateWord(i) && (a.positive ? isBusWord(i) : !isBusWord(i)))));
}

/**
 * Two placements that cannot both run: opposite arms of one decision, different `case` arms of
 * one switch, or contradicting tests of the same expression.
 */
export function exclusive(a: readonly Guard[], b: readonly Guard[]): boolean {
  for (const ga of a) {
    for (const gb of b) {
      if (ga.kind === 'case' || gb.kind === 'case') {
        if (ga.kind === 'case' && gb.kind === 'case' && ga.cond.text === gb.cond.text &&
          !ga.labels!.some((l) => gb.labels!.includes(l))) return true;
        continue;
      }
      if (ga.id === gb.id && ga.positive !== gb.positive) return true;
      const atomsB = guardAtoms(gb);
      if (guardAtoms(ga).some((x) => atomsB.some((y) => sameTest(x.expr, y.expr) && x.positive !== y.positive))) return true;
    }
  }
  return false;
}

function sameTest(a: Expr, b: Expr): boolean {
  return a.kind === b.kind && (a.kind === 'path' ? a.name === b.name : unparenthesized(a.text) === unparenthesized(b.text));
}

/** A condition or switch subject as a finding names it, without its statement's parentheses. */
export function conditionText(e: Expr): string {
  return unparenthesized(e.text);
}

/** `((x & F))` → `x & F`: an Expr's text keeps the parentheses its shape looks through. */
function unparenthesized(text: string): string {
  let t = text;
  while (t.startsWith('(') && t.endsWith(')') && closesAtEnd(t)) t = t.slice(1, -1).trim();
  return t;
}

function closesAtEnd(t: string): boolean {
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    depth += t[i] === '(' ? 1 : t[i] === ')' ? -1 : 0;
    if (depth === 0 && i < t.length - 1) return false;
  }
  return true;
}

/** Patch order of a span: facts of one function from several hunks stay comparable. */
export function position(span: Span): number {
  return span.lines[0]?.patchLine ?? 0;
}

function endOf(span: Span): number {
  return span.lines.at(-1)?.patchLine ?? 0;
}

/**
 * The map-type switch whose `value` arm falls through (breaks, no return or goto) to `call`
 * placed after the switch.
 */
export function reachedFromArm(fn: FunctionFacts, call: Call, value: string): Switch | undefined {
  return fn.switches.find((s) => {
    if (!s.arms.some((arm) => arm.labels.includes(value))) return false;
    const inArm = (guards: readonly Guard[]) => guards.some((g) => g.id === s.id && !!g.labels?.includes(value));
    if ([...fn.returns, ...fn.gotos].some((x) => inArm(x.guards))) return false;
    return position(call.span) > endOf(s.span) && !call.guards.some((g) => g.id === s.id) && !exclusive(s.guards, call.guards);
  });
}

/** The label whose code `fact` runs in: the nearest one above it in the function. */
export function labelAbove(fn: FunctionFacts, span: Span): { name: string; span: Span } | undefined {
  const at = position(span);
  return fn.labels.filter((l) => position(l.span) <= at).sort((x, y) => position(y.span) - position(x.span))[0];
}
