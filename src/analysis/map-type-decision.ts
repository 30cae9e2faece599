import { rolesOf } from './catalogue.js';
import type { Call, Expr, FunctionFacts, Guard, Switch } from './facts.js';
import { isLoggingCall, type Placed } from './result-use.js';
import { MAP_TYPE_CALLS } from './p2p-api.js';

/**
 * A function's decision on the P2P map type (spec B4): a `switch` or `if` chain on the result of
 * pci_p2pdma_state()/pci_p2pdma_map_type() (or pci_p2pdma_map_segment(), 6.0-6.15), and which
 * routes can reach each fact of the function through it.
 */

export const ROUTES = [
  'PCI_P2PDMA_MAP_NONE', 'PCI_P2PDMA_MAP_NOT_SUPPORTED', 'PCI_P2PDMA_MAP_BUS_ADDR', 'PCI_P2PDMA_MAP_THRU_HOST_BRIDGE',
] as const;
export type Route = (typeof ROUTES)[number];
export type Routes = ReadonlySet<Route>;

const DECIDING_CALLS: ReadonlySet<string> = new Set([...MAP_TYPE_CALLS, 'pci_p2pdma_map_segment']);
/** Calls that fill a `struct pci_p2pdma_map_state` (its `.map` holds the type afterwards). */
const STATE_FILLING_CALLS: ReadonlySet<string> = new Set(['pci_p2pdma_state', 'pci_p2pdma_map_segment']);

const ALL: Routes = new Set(ROUTES);

export interface MapTypeDecision {
  /** The calls that compute the map type (none when the decision reads a map type by its declared type only). */
  sources: Call[];
  /** What the decision reads, for messages: `pci_p2pdma_state()` or `iter->p2pdma.map`. */
  what: string;
  /**
   * The map type comes from a value known by its declared type (a field of struct pci_p2pdma_map_state,
   * an enum pci_p2pdma_map_type parameter) whose producer is not in the function.
   */
  typedOnly: boolean;
  /** Routes the value's producer has already failed (blk_rq_dma_map_iter_start(): NOT_SUPPORTED). */
  settled: Routes;
  /** Switches on the map type. */
  switches: Switch[];
  /** If statements that compare the map type with a route. */
  ifs: Guard[];
  /** Routes the decision names in a case label or a comparison. */
  named: Routes;
  /** The map type leaves the function (returned, stored, passed on): the caller decides on it too. */
  delegated: boolean;
  /** Routes that can reach a fact through the map-type guards that dominate it. */
  routesAt(fact: Placed): Routes;
  /** The innermost switch arm or if/else arm on the map type that holds the fact. */
  armOf(fact: Placed): Guard | undefined;
  /** The map-type guards that dominate the fact, early exits included. */
  decidingGuards(fact: Placed): Guard[];
}

export function mapTypeDecision(fn: FunctionFacts): MapTypeDecision | undefined {
  const sources = fn.calls.filter((c) => DECIDING_CALLS.has(c.name));
  const holders = holdersOf(fn, sources);
  // issue 14 R5 (api2): a map type known by its declared type (iter->p2pdma.map, an enum pci_p2pdma_map_type parameter)
  const typed = typedMapTypes(fn, holders);
  if (sources.length === 0 && typed.size === 0) return undefined;
  const isSubject = (e: Expr) =>
    (e.kind === 'call' && DECIDING_CALLS.has(e.name!)) || (e.kind === 'path' && (holders.has(e.name!) || typed.has(e.name!)));
  const switches = fn.switches.filter((s) => isSubject(s.subject));
  const named = new Set<Route>();
  const routesOf = routeEvaluator(isSubject, named);
  const decides = (cond: Expr) => routesOf(cond, true).size < ALL.size || routesOf(cond, false).size < ALL.size;
  const ifs = fn.ifs.filter((g) => decides(g.cond));
  if (switches.length === 0 && ifs.length === 0) return undefined;
  for (const s of switches) for (const arm of s.arms) for (const l of arm.labels) if (isRoute(l)) named.add(l);

  const guardRoutes = (g: Guard): Routes | undefined => {
    if (g.kind === 'case') {
      const sw = switches.find((s) => s.id === g.id);
      return sw ? armRoutes(sw, mergedLabels(fn, sw, g.labels ?? [])) : undefined;
    }
    return ifs.some((i) => i.id === g.id) ? routesOf(g.cond, g.positive) : undefined;
  };
  const decidingGuards = (fact: Placed) => fact.guards.filter((g) => guardRoutes(g) !== undefined);
  const typedSubject = switches.map((s) => s.subject).find((e) => e.kind === 'path' && typed.has(e.name!)) ??
    ifs.flatMap((g) => pathsIn(g.cond)).find((e) => typed.has(e.name!));
  const typedOnly = sources.length === 0;
  if (typedOnly && !typedSubject) return undefined;
  const settled: Routes = typedOnly ? typed.get(typedSubject!.name!)! : new Set();
  const notSettled = without(ALL, [...settled]);
  return {
    sources,
    what: typedOnly ? typedSubject!.text.replace(/^\s*\(([^()]*)\)\s*$/, '$1') : `${sources[0]!.name}()`,
    typedOnly,
    settled,
    switches,
    ifs,
    named,
    delegated: isDelegated(fn, sources, holders),
    routesAt: (fact) => decidingGuards(fact).reduce<Routes>((acc, g) => intersect(acc, guardRoutes(g)!), notSettled),
    armOf: (fact) => decidingGuards(fact).filter((g) => g.kind !== 'early-exit').at(-1),
    decidingGuards,
  };
}

export function isRoute(label: string): label is Route {
  return (ROUTES as readonly string[]).includes(label);
}

/** Locals (and `state.map`) that hold a computed map type. */
function holdersOf(fn: FunctionFacts, sources: readonly Call[]): Set<string> {
  const holders = new Set<string>();
  for (const s of sources) {
    if (s.assignedTo !== undefined) holders.add(s.assignedTo);
    const state = s.args[0];
    if (STATE_FILLING_CALLS.has(s.name) && state?.kind === 'path') holders.add(`${state.name}.map`);
  }
  for (const a of fn.assignments) if (a.rhs.kind === 'call' && DECIDING_CALLS.has(a.rhs.name!)) holders.add(a.lhs);
  return holders;
}

// issue 14 R5 (api2)
const MAP_TYPE_ENUM = 'enum pci_p2pdma_map_type';

/** `const struct blk_dma_iter *` → `struct blk_dma_iter`; `enum pci_p2pdma_map_type` stays. */
function declared(type: string): string | undefined {
  const t = type.replace(/\b(const|volatile|__iomem|__rcu|__user|__percpu|__force)\b/g, '').replace(/[*&]/g, ' ').replace(/\s+/g, ' ').trim();
  return /^(struct|union|enum) \w+$/.test(t) ? t : undefined;
}

/**
 * The declared type of an access path: its root's declaration, then the catalogue's field types
 * (`iter.p2pdma.map` with `struct blk_dma_iter *iter`: enum pci_p2pdma_map_type), with the routes
 * the fields' producers have already failed.
 */
function pathType(fn: FunctionFacts, path: string): { type: string; settled: Set<Route> } | undefined {
  const [root, ...fields] = path.split('.');
  const decl = [...fn.params, ...(fn.locals ?? [])].find((p) => p.name === root);
  let type = decl ? declared(decl.type) : undefined;
  const settled = new Set<Route>();
  for (const field of fields) {
    if (!type) return undefined;
    const row = rolesOf(field).find((r) => r.role === 'field-type' && r.struct === type) as Extract<ReturnType<typeof rolesOf>[number], { role: 'field-type' }> | undefined;
    if (!row) return undefined;
    for (const r of row.settled ?? []) if (isRoute(r)) settled.add(r);
    type = row.type;
  }
  return type ? { type, settled } : undefined;
}

/**
 * Paths of the function that hold a map type by declared type and are not filled by a map-type
 * query in it (holders): fields such as `iter->p2pdma.map`, and enum locals and parameters. A local
 * set from such a field inherits what the field's producer settled.
 */
function typedMapTypes(fn: FunctionFacts, holders: ReadonlySet<string>): Map<string, Routes> {
  const out = new Map<string, Routes>();
  const consider = (e: Expr) => {
    if (e.kind !== 'path' || holders.has(e.name!) || out.has(e.name!)) return;
    const t = pathType(fn, e.name!);
    if (t?.type !== MAP_TYPE_ENUM) return;
    const sets = fn.assignments.filter((a) => a.lhs === e.name && a.op === '=').map((a) => (a.rhs.kind === 'path' ? pathType(fn, a.rhs.name!) : undefined));
    const settled = t.settled.size || !sets.length || sets.some((x) => x?.type !== MAP_TYPE_ENUM)
      ? t.settled
      : new Set([...sets[0]!.settled].filter((r) => sets.every((x) => x!.settled.has(r))));
    out.set(e.name!, settled);
  };
  for (const s of fn.switches) consider(s.subject);
  for (const g of fn.ifs) pathsIn(g.cond).forEach(consider);
  return out;
}

function pathsIn(e: Expr): Expr[] {
  return e.kind === 'path' ? [e] : e.args.flatMap(pathsIn);
}
// end issue 14 R5 (api2)

/** Routes for which `cond` evaluates to `truth`; every route when the condition does not look at the type. */
function routeEvaluator(isSubject: (e: Expr) => boolean, named: Set<Route>) {
  const evaluate = (e: Expr, truth: boolean): Routes => {
    if (e.kind === 'unary' && e.name === '!' && e.args[0]) return evaluate(e.args[0], !truth);
    if (e.kind === 'binary' && (e.name === '&&' || e.name === '||') && e.args.length === 2) {
      const [a, b] = [evaluate(e.args[0]!, truth), evaluate(e.args[1]!, truth)];
      return (e.name === '&&') === truth ? intersect(a, b) : union(a, b);
    }
    const cmp = comparison(e, isSubject);
    if (!cmp) return ALL;
    named.add(cmp.route);
    return cmp.equal === truth ? new Set([cmp.route]) : without(ALL, [cmp.route]);
  };
  return evaluate;
}

function comparison(e: Expr, isSubject: (e: Expr) => boolean): { route: Route; equal: boolean } | undefined {
  if (e.kind !== 'binary' || (e.name !== '==' && e.name !== '!=') || e.args.length !== 2) return undefined;
  const [a, b] = e.args as [Expr, Expr];
  const value = isSubject(a) ? b : isSubject(b) ? a : undefined;
  const route = value?.identifiers.find(isRoute);
  return route ? { route, equal: e.name === '==' } : undefined;
}

/**
 * The labels that lead into an arm: its own and those of the bare `case X:` lines right above it.
 * (The facts record a bare label as an arm of its own: a one-line arm that holds no fact.)
 */
function mergedLabels(fn: FunctionFacts, sw: Switch, labels: readonly string[]): string[] {
  const key = labels.join('|');
  const index = sw.arms.findIndex((a) => a.labels.join('|') === key);
  const merged = [...labels];
  for (let i = index - 1; i >= 0 && isBareLabel(fn, sw, sw.arms[i]!); i--) merged.push(...sw.arms[i]!.labels);
  return merged;
}

function isBareLabel(fn: FunctionFacts, sw: Switch, arm: Switch['arms'][number]): boolean {
  if (arm.span.lines.length !== 1) return false;
  const key = arm.labels.join('|');
  const inArm = (f: Placed) => f.guards.some((g) => g.id === sw.id && g.labels?.join('|') === key);
  return ![...fn.calls, ...fn.assignments, ...fn.returns, ...fn.gotos, ...fn.switches].some(inArm);
}

/** Routes of a switch arm; `default` takes every route no other arm names. */
function armRoutes(sw: Switch, labels: readonly string[]): Routes {
  const own = labels.filter(isRoute);
  if (!labels.includes('default')) return new Set(own);
  const others = sw.arms.flatMap((a) => a.labels).filter((l) => !labels.includes(l) && isRoute(l)) as Route[];
  return without(ALL, others);
}

function isDelegated(fn: FunctionFacts, sources: readonly Call[], holders: ReadonlySet<string>): boolean {
  const locals = [...holders].filter((h) => !h.endsWith('.map'));
  const carries = (e: Expr | undefined) => e?.kind === 'path' && locals.includes(e.name!);
  if (sources.some((s) => s.returned || (s.assignedTo !== undefined && s.assignedTo.includes('.')))) return true;
  if (sources.some((s) => fn.calls.some((c) => c !== s && !isLoggingCall(c.name) && c.args.some((a) => a.callNames.includes(s.name))))) return true;
  return fn.returns.some((r) => carries(r.value)) ||
    fn.assignments.some((a) => !locals.includes(a.lhs) && carries(a.rhs)) ||
    fn.calls.some((c) => !DECIDING_CALLS.has(c.name) && !isLoggingCall(c.name) && c.args.some(carries));
}

function intersect(a: Routes, b: Routes): Routes {
  return new Set([...a].filter((r) => b.has(r)));
}

function union(a: Routes, b: Routes): Routes {
  return new Set([...a, ...b]);
}

function without(a: Routes, drop: readonly Route[]): Routes {
  return new Set([...a].filter((r) => !drop.includes(r)));
}
