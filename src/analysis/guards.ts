import { atoms, sufficient } from './expressions.js';
import type { Call, Expr, FunctionFacts, Guard } from './facts.js';
import { MAP_TYPE_CALLS, MAP_TYPE_VALUES, P2P_PAGE_TESTS } from './p2p-api.js';

/**
 * What the guards around a fact prove (global false-positive trap 2): the memory is not P2P,
 * a map-type decision was taken, or P2P support was checked.
 */

type Atom = { expr: Expr; positive: boolean };

export function guardAtoms(guards: readonly Guard[]): Atom[] {
  return guards.flatMap((g) => (g.kind === 'case' ? [] : atoms(g.cond, g.positive)));
}

/** `!is_pci_p2pdma_page(x)`, `pci_p2pdma_state(...) == PCI_P2PDMA_MAP_NONE`, `case PCI_P2PDMA_MAP_NONE:`, `!IS_ENABLED(CONFIG_PCI_P2PDMA)`. */
export function provesNotP2P(guards: readonly Guard[]): Guard | undefined {
  for (const g of guards) {
    if (g.kind === 'case') {
      if (isMapTypeSubject(g.cond) && g.labels?.every((l) => l === 'PCI_P2PDMA_MAP_NONE')) return g;
      continue;
    }
    for (const a of atoms(g.cond, g.positive)) {
      if (isP2PPageTest(a.expr) && !a.positive) return g;
      if (isIsEnabledP2P(a.expr) && !a.positive) return g;
      const cmp = mapTypeComparison(a.expr);
      if (cmp && cmp.value === 'PCI_P2PDMA_MAP_NONE' && (cmp.equal === a.positive)) return g;
    }
  }
  return undefined;
}

/** A guard that decides on the P2P map type (switch or comparison on pci_p2pdma_state()/map_type()). */
export function decidesMapType(guards: readonly Guard[]): Guard | undefined {
  return guards.find((g) => isMapTypeSubject(g.cond) || g.cond.identifiers.some((i) => MAP_TYPE_VALUES.has(i)));
}

/** The guard that holds `is_pci_p2pdma_page(...)` as true, if any. */
export function provesP2P(guards: readonly Guard[]): Guard | undefined {
  return guards.find((g) => g.kind !== 'case' && atoms(g.cond, g.positive).some((a) => isP2PPageTest(a.expr) && a.positive));
}

/** Names of calls that count: a set, or a test for names that follow a pattern. */
export type CallNames = ReadonlySet<string> | ((name: string) => boolean);

/** A guard holding a positive call to one of `tests` (`dma_pci_p2pdma_supported(dev)` and the like). */
export function checkedBy(guards: readonly Guard[], tests: CallNames): Guard | undefined {
  return guards.find((g) => g.kind !== 'case' && atoms(g.cond, g.positive).some((a) => a.positive && callsAny(a.expr, tests)));
}

export function callsAny(e: Expr, names: CallNames): boolean {
  const has = typeof names === 'function' ? names : (n: string) => names.has(n);
  return e.callNames.some(has);
}

export function isP2PPageTest(e: Expr): boolean {
  return e.kind === 'call' && P2P_PAGE_TESTS.has(e.name!);
}

function isIsEnabledP2P(e: Expr): boolean {
  return e.kind === 'call' && /^IS_ENABLED|IS_REACHABLE$/.test(e.name!) && e.text.includes('CONFIG_PCI_P2PDMA');
}

function isMapTypeSubject(e: Expr): boolean {
  // a map-type query, what one was stored in (resolved by the value flow), or the 6.19 iterator's field
  return e.callNames.some((n) => MAP_TYPE_CALLS.has(n)) || e.paths.some(isMapTypeField);
}

/** `dev->dma_ops` (struct device): NULL means dma-direct; tested by hand it stands in for a capability test (R3). */
export function isDmaOpsField(path: string): boolean {
  return /(^|\.)dma_ops$/.test(path);
}

/** `iter.p2pdma.map` (struct blk_dma_iter, 6.19+): the map type the block iterator recorded. */
export function isMapTypeField(path: string): boolean {
  return /(^|\.)p2pdma\.map$/.test(path);
}

function mapTypeComparison(e: Expr): { value: string; equal: boolean } | undefined {
  if (e.kind !== 'binary' || (e.name !== '==' && e.name !== '!=')) return undefined;
  const value = e.args.flatMap((a) => a.identifiers).find((i) => MAP_TYPE_VALUES.has(i));
  return value ? { value, equal: e.name === '==' } : undefined;
}

/**
 * An `is_pci_p2pdma_page()` test whose P2P arm only bails out (`return -EREMOTEIO`, `goto err`):
 * it rejects P2P memory rather than handling it.
 */
export function rejectsP2P(fn: FunctionFacts, test: Call): boolean {
  const decision = test.conditionOf ? fn.ifs.find((g) => g.id === test.conditionOf) : undefined;
  if (!decision) return false;
  // a necessary condition of the true arm, or a sufficient one of either arm (`if (p2p || n < 0) return`)
  // the test as written, or as a wrapper of the patch stands for it (same callee, same arguments)
  const isTest = (e: Expr) => e.text.includes(test.expr.text) ||
    (e.kind === 'call' && e.name === test.name && e.args.length === test.args.length && e.args.every((a, i) => a.text === test.args[i]!.text));
  const atom = atoms(decision.cond, true).find((a) => isP2PPageTest(a.expr) && isTest(a.expr)) ??
    [true, false].flatMap((arm) => sufficient(decision.cond, arm).map((s) => ({ ...s, arm })))
      .filter((s) => s.truth && isP2PPageTest(s.expr) && isTest(s.expr))
      .map((s) => ({ expr: s.expr, positive: s.arm }))[0];
  if (!atom) return false;
  const inP2PArm = (guards: readonly Guard[]) => guards.some((g) => g.id === decision.id && g.positive === atom.positive && g.kind !== 'early-exit');
  return fn.gotos.some((g) => inP2PArm(g.guards)) ||
    fn.returns.some((r) => inP2PArm(r.guards) && !!r.value && /^(-E[A-Z]+|false|NULL|ERR_PTR\b|BLK_STS_)/.test(r.value.text));
}

