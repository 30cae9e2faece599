import type { Expr, FunctionFacts, Span } from './facts.js';
import { rejectsP2P } from './guards.js';
import {
  GUP_CALLS, P2P_AWARE_LIST_MAPPERS, P2P_CARRYING_CALLS, P2P_CARRYING_FIELDS, P2P_GUP_FLAGS, P2P_PAGE_TESTS,
  P2P_SOURCE_CALLS, isEntryIterator,
} from './p2p-api.js';

/**
 * P2P taint (spec section C: "a P2P-tainted value (T) is anything derived from a B1 source").
 * Flow-insensitive within a function, through locals, struct fields and iterator variables.
 *
 * Origins, strongest first: p2pmem (pci_alloc_p2pmem, pci_p2pmem_alloc_sgl), bar (BAR phys,
 * ioremap/pci_iomap VAs), gup (pages pinned with FOLL_PCI_P2PDMA/ITER_ALLOW_P2PDMA), and
 * evidence (the code itself treats the value as possibly P2P: it tests it with
 * is_pci_p2pdma_page() or hands it to a P2P-aware mapper, in the post-image or the removed lines).
 */
export type Origin = 'p2pmem' | 'bar' | 'gup' | 'evidence';

export interface Taint {
  origin: Origin;
  /** Human words for where it came from: "pci_alloc_p2pmem()" or "is_pci_p2pdma_page() test". */
  via: string;
  span?: Span;
}

export type TaintMap = Map<string, Taint>;

const STRENGTH: Record<Origin, number> = { p2pmem: 3, bar: 3, gup: 2, evidence: 1 };

const BAR_SOURCES = /^(pci_resource_start|pci_bus_address|pci_iomap.*|pcim_iomap.*|.*ioremap.*|pci_ioremap.*)$/;

function sourceOrigin(name: string): Origin | undefined {
  if (!P2P_SOURCE_CALLS.has(name)) return undefined;
  return BAR_SOURCES.test(name) ? 'bar' : 'p2pmem';
}

/** Fields of the file that are assigned P2P memory somewhere (`ctrl->cmb = pci_alloc_p2pmem(...)`). */
export function fieldTaint(functions: readonly FunctionFacts[]): TaintMap {
  const fields: TaintMap = new Map();
  for (const fn of functions) {
    const local = functionTaint(fn, new Map(), []);
    for (const a of fn.assignments) {
      if (!a.lhs.includes('.')) continue;
      const t = exprTaint(a.rhs, local);
      if (t && t.origin !== 'evidence') fields.set(a.lhs.slice(a.lhs.lastIndexOf('.') + 1), { ...t, span: t.span ?? a.span });
    }
  }
  return fields;
}

/**
 * Taint of one function. `fields` holds file-level field taint, `removed` the facts of the same
 * function in the patch's removed lines (what the code did before the patch is evidence too).
 */
export function functionTaint(fn: FunctionFacts, fields: TaintMap, removed: readonly FunctionFacts[]): TaintMap {
  const taint: TaintMap = new Map();
  const add = (path: string, t: Taint): boolean => {
    const had = taint.get(path);
    if (had && STRENGTH[had.origin] >= STRENGTH[t.origin]) return false;
    taint.set(path, t);
    return true;
  };
  const lookup = (e: Expr): Taint | undefined => exprTaint(e, taint, fields);

  for (const f of [fn, ...removed]) {
    for (const call of f.calls) {
      if (P2P_PAGE_TESTS.has(call.name) && call.args[0] && !rejectsP2P(f, call)) {
        const subject = unwrapCarrier(call.args[0]);
        if (subject) add(subject, { origin: 'evidence', via: `${call.name}() test`, span: call.span });
      }
      if (P2P_AWARE_LIST_MAPPERS.has(call.name) && call.args[1]?.kind === 'path') {
        add(call.args[1].name!, { origin: 'evidence', via: `${call.name}()`, span: call.span });
      }
    }
  }

  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (const a of fn.assignments) {
      const t = lookup(a.rhs);
      if (t && (a.op === '=' || a.op === '+=' || a.op === '-=')) changed = add(a.lhs, { ...t, span: t.span ?? a.span }) || changed;
    }
    for (const call of fn.calls) {
      if (call.assignedTo !== undefined) {
        const t = lookup(call.expr);
        if (t) changed = add(call.assignedTo, { ...t, span: t.span ?? call.span }) || changed;
      }
      if (GUP_CALLS.has(call.name) && call.args.some((arg) => mentionsGupFlag(arg, fn))) {
        for (const arg of call.args.slice(1)) {
          if (arg.kind === 'path') changed = add(arg.name!, { origin: 'gup', via: `${call.name}() with a P2P flag`, span: call.span }) || changed;
        }
      }
    }
    for (const loop of loopsOf(fn)) {
      if (!isEntryIterator(loop.name)) continue;
      const [first, second] = loop.args;
      // for_each_sg(list, sg, ...) and bio_for_each_segment(bv, bio, iter): list → entry
      const [list, entry] = loop.name.startsWith('for_each') ? [first, second] : [second, first];
      const t = list ? lookup(list) : undefined;
      if (t && entry?.kind === 'path') changed = add(entry.name!, { ...t, via: `${t.via} via ${loop.name}()` }) || changed;
    }
    if (!changed) break;
  }
  return taint;
}

/** Taint of an expression: a source call, a carrying call of a tainted value, a tainted path. */
export function exprTaint(e: Expr, taint: TaintMap, fields: TaintMap = new Map()): Taint | undefined {
  switch (e.kind) {
    case 'call': {
      const origin = sourceOrigin(e.name!);
      if (origin) return { origin, via: `${e.name}()` };
      if (P2P_CARRYING_CALLS.has(e.name!) && e.args[0]) return exprTaint(e.args[0], taint, fields);
      return undefined;
    }
    case 'path':
      return pathTaint(e.name!, taint, fields);
    case 'binary':
      if (e.name === '+' || e.name === '-') return e.args.map((a) => exprTaint(a, taint, fields)).find(Boolean);
      return undefined;
    default:
      return undefined;
  }
}

function pathTaint(path: string, taint: TaintMap, fields: TaintMap): Taint | undefined {
  const direct = taint.get(path) ?? taint.get(path.replace(/\[[^\]]*\]$/, ''));
  if (direct) return direct;
  const dot = path.lastIndexOf('.');
  if (dot < 0) return undefined;
  const field = path.slice(dot + 1);
  if (P2P_CARRYING_FIELDS.has(field)) {
    const base = pathTaint(path.slice(0, dot), taint, fields);
    if (base) return base;
  }
  return fields.get(field);
}

/** `sg_page(x)` → x, `virt_to_page(p)` → p, `bv.bv_page` → bv, a plain path → itself. */
function unwrapCarrier(e: Expr): string | undefined {
  if (e.kind === 'path') return e.name;
  if (e.kind === 'call' && P2P_CARRYING_CALLS.has(e.name!) && e.args[0]) return unwrapCarrier(e.args[0]);
  return undefined;
}

function mentionsGupFlag(arg: Expr, fn: FunctionFacts): boolean {
  if (arg.identifiers.some((i) => P2P_GUP_FLAGS.has(i))) return true;
  if (arg.kind !== 'path') return false;
  return fn.assignments.some((a) => a.lhs === arg.name && a.rhs.identifiers.some((i) => P2P_GUP_FLAGS.has(i)));
}

function loopsOf(fn: FunctionFacts) {
  const seen = new Map<string, FunctionFacts['calls'][number]['loops'][number]>();
  for (const c of fn.calls) for (const l of c.loops) seen.set(l.id, l);
  for (const a of fn.assignments) for (const l of a.loops) seen.set(l.id, l);
  return [...seen.values()];
}
