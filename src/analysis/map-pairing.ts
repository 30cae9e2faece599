import { atoms } from './expressions.js';
import type { FileAnalysis } from './file-analysis.js';
import type { Call, Expr, FunctionFacts, Guard, Span, Switch } from './facts.js';
import { provesNotP2P } from './guards.js';
import { CATALOGUE, namesWith, type Role } from './catalogue.js';
import { MAP_TYPE_CALLS, MAP_TYPE_VALUES, P2P_PAGE_TESTS } from './p2p-api.js';

/**
 * Map/unmap pairing (spec B5): which DMA-API call maps or unmaps what, which attrs a call really
 * passes, which map calls an unmap mirrors, what the removed lines did at the same place, and
 * where a call stands with respect to the P2P map type (THRU_HOST_BRIDGE, BUS_ADDR, NONE arms).
 */

export type { MappingFamily as Family } from './catalogue.js';
import type { MappingFamily as Family } from './catalogue.js';

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

const MAPPING_API: ReadonlyMap<string, MappingApi> = new Map(CATALOGUE.flatMap((row) => row.roles
  .filter((r): r is Extract<Role, { role: 'dma-mapping' }> => r.role === 'dma-mapping')
  .map((r) => [row.name, { role: r.op, family: r.family, subject: r.subject, memory: r.memory, attrs: r.attrs }] as const)));

export const THRU_HOST_BRIDGE = 'PCI_P2PDMA_MAP_THRU_HOST_BRIDGE';
export const BUS_ADDR = 'PCI_P2PDMA_MAP_BUS_ADDR';
export const MMIO_ATTR = 'DMA_ATTR_MMIO';
export const BUS_ADDRESS_TESTS: ReadonlySet<string> = namesWith('bus-address-test');

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
 * Flags that record "this memory is P2P/MMIO" for one mapping (`bus`: a peer bus address): the
 * catalogue's (HMM_PFN_P2PDMA, REQ_P2PDMA, DMA_ATTR_MMIO...) and the file's own, learned from the
 * code rather than from their spelling: a constant stored (`=`, `|=`) in an arm that only P2P
 * memory reaches (a map-type arm, a P2P page test, a known state flag), or tested to choose a
 * call that passes DMA_ATTR_MMIO. Capabilities and opt-ins (FOLL_PCI_P2PDMA, BLK_FEAT_PCI_P2PDMA)
 * say nothing about one mapping and are not state flags.
 */
export interface StateWords {
  p2p: ReadonlySet<string>;
  bus: ReadonlySet<string>;
}

const CATALOGUE_STATE = namesWith('p2p-state-flag');
const CATALOGUE_BUS = namesWith('p2p-state-flag', (r) => !!r.bus);
/** Opt-ins and capabilities say nothing about one mapping: never learned as state flags. */
const NOT_STATE = new Set([...MAP_TYPE_VALUES, ...namesWith('gup-flag'), ...namesWith('advertisement')]);
const learned = new WeakMap<FileAnalysis, StateWords>();

export function stateWords(file: FileAnalysis): StateWords {
  const known = learned.get(file);
  if (known) return known;
  const p2p = new Set(CATALOGUE_STATE);
  const bus = new Set(CATALOGUE_BUS);
  const functions = [...file.post.functions, ...file.pre.functions];
  // to a fixed point: a learned flag can make another arm a P2P arm (bounded by the flags there are)
  const words: StateWords = { p2p, bus };
  for (let changed = true; changed;) {
    changed = false;
    const add = (id: string, isBus: boolean) => {
      if (!p2p.has(id)) { p2p.add(id); changed = true; }
      if (isBus && !bus.has(id)) { bus.add(id); changed = true; }
    };
    for (const fn of functions) {
      const variables = new Set([...fn.params, ...(fn.locals ?? [])].map((v) => v.name));
      const constants = (e: Expr) => flagTerms(e).filter((id) => !variables.has(id) && !NOT_STATE.has(id));
      for (const a of fn.assignments) {
        if (a.op !== '=' && a.op !== '|=') continue;
        const arm = p2pArm(a.guards, words);
        if (arm) for (const id of constants(a.rhs)) add(id, arm === 'bus');
      }
      for (const c of fn.calls) {
        if (passesAttr(fn, c, MMIO_ATTR) !== 'yes') continue;
        for (const g of c.guards) {
          for (const at of guardAtoms(g)) {
            if (at.positive && at.expr.kind === 'binary' && at.expr.name === '&') for (const id of constants(at.expr)) add(id, false);
          }
        }
      }
    }
  }
  learned.set(file, words);
  return words;
}

/** The bare identifiers of a flag expression: `X`, `X | Y`, `a->flags & X` (its constant side). */
function flagTerms(e: Expr): string[] {
  if (e.kind === 'path' && !e.name?.includes('.')) return [e.name ?? e.text];
  if (e.kind === 'binary' && (e.name === '|' || e.name === '&')) return e.args.flatMap(flagTerms);
  return [];
}

/** Whether the guards put a place where only P2P memory goes ('bus' for the peer-bus-address case). */
function p2pArm(guards: readonly Guard[], words: StateWords): 'p2p' | 'bus' | undefined {
  if (mapTypeArm(guards, BUS_ADDR) || busAddressTest(guards)) return 'bus';
  if (mapTypeArm(guards, THRU_HOST_BRIDGE)) return 'p2p';
  for (const g of guards) {
    for (const a of guardAtoms(g)) {
      if (!a.positive || isMapTypeTest(a.expr)) continue;
      if (a.expr.callNames.some((n) => P2P_PAGE_TESTS.has(n))) return 'p2p';
      const ids = a.expr.identifiers.filter((i) => words.p2p.has(i));
      if (ids.length) return ids.some((i) => words.bus.has(i)) ? 'bus' : 'p2p';
    }
  }
  return undefined;
}

/** The function keeps or tests P2P/MMIO state somewhere (a map type, a P2P flag, the MMIO attr). */
export function holdsP2PState(fn: FunctionFacts, words: StateWords): boolean {
  const exprs: Expr[] = [
    ...fn.ifs.map((g) => g.cond), ...fn.switches.map((s) => s.subject), ...fn.calls.map((c) => c.expr),
    ...fn.assignments.flatMap((a) => [a.lhsExpr, a.rhs]),
  ];
  return fn.switches.some((s) => s.arms.some((a) => a.labels.some((l) => MAP_TYPE_VALUES.has(l)))) ||
    exprs.some((e) => e.identifiers.some((i) => words.p2p.has(i)) ||
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
export function p2pFlagGuard(guards: readonly Guard[], words: StateWords): Guard | undefined {
  return guards.find((g) => guardAtoms(g).some((a) => a.positive && !isMapTypeTest(a.expr) &&
    (a.expr.callNames.some((n) => P2P_PAGE_TESTS.has(n)) ||
      (a.expr.identifiers.some((i) => words.p2p.has(i)) && !a.expr.identifiers.some((i) => words.bus.has(i))))));
}

function isMapTypeTest(e: Expr): boolean {
  return e.identifiers.some((i) => MAP_TYPE_VALUES.has(i));
}

/**
 * Where memory cannot be MMIO: proven not P2P, the NONE or BUS_ADDR arm, a bus-address test,
 * or a P2P/MMIO flag known to be clear.
 */
export function notMmioPlace(guards: readonly Guard[], words: StateWords): Guard | undefined {
  return provesNotP2P(guards) ?? mapTypeArm(guards, 'PCI_P2PDMA_MAP_NONE') ?? mapTypeArm(guards, BUS_ADDR) ??
    busAddressTest(guards) ?? guards.find((g) => guardAtoms(g).some((a) => !isMapTypeTest(a.expr) &&
      a.expr.identifiers.some((i) => words.p2p.has(i) && (a.positive ? words.bus.has(i) : !words.bus.has(i)))));
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
