import { lineOf } from './file-analysis.js';
export { lineOf };
import { atoms } from './expressions.js';
import type { Call, Expr, FunctionFacts, Guard, Loop, Span } from './facts.js';
import type { FileDiff } from '../input/patch-model.js';

/**
 * Where a function gives up: error returns and error gotos, and whether a release runs on the
 * way out. Flow-insensitive like the rest of the facts: order is source order, a path is the set
 * of guards that hold on it.
 */
export interface Exit {
  kind: 'return' | 'goto';
  span: Span;
  guards: Guard[];
  loops: Loop[];
  label?: string;
  value?: Expr;
}

const ERROR_VALUE = /^(-E[A-Z0-9]+\b|ERR_PTR\b|PTR_ERR\b|NULL$|false$|VM_FAULT_)/;
const ERROR_LABEL = /(^|_)(err|error|fail|failed|free|unwind|cleanup|undo|bad|release|unmap|put)(_|$|\d)|^out_/i;


/** Returns of an error value, and gotos to an unwinding label taken inside a condition. */
export function errorExits(fn: FunctionFacts): Exit[] {
  const returns: Exit[] = fn.returns
    .filter((r) => !!r.value && isErrorValue(r.value, r.guards))
    .map((r) => ({ kind: 'return', span: r.span, guards: r.guards, loops: r.loops, value: r.value }));
  const gotos: Exit[] = fn.gotos
    .filter((g) => ERROR_LABEL.test(g.label) && g.guards.some((x) => x.kind !== 'early-exit'))
    .map((g) => ({ kind: 'goto', span: g.span, guards: g.guards, loops: g.loops, label: g.label }));
  return [...returns, ...gotos];
}

/** `return -ENOMEM`, `return NULL`, or `return ret` under a condition on `ret`. */
function isErrorValue(value: Expr, guards: readonly Guard[]): boolean {
  if (ERROR_VALUE.test(value.text)) return true;
  return value.kind === 'path' && guards.some((g) => g.kind !== 'early-exit' && g.positive && g.cond.paths.includes(value.name!));
}

/** The two guard lists sit in opposite arms of one decision: no path runs both. */
export function exclusive(a: readonly Guard[], b: readonly Guard[]): boolean {
  return a.some((x) => b.some((y) => x.id === y.id && (x.positive !== y.positive || sameCaseSwitchOtherArm(x, y))));
}

function sameCaseSwitchOtherArm(x: Guard, y: Guard): boolean {
  return x.kind === 'case' && y.kind === 'case' && x.labels?.join() !== y.labels?.join();
}

/** Every guard of `inner` that `outer` needs: a fact under `outer` runs whenever `inner`'s path runs. */
export function dominates(outer: readonly Guard[], inner: readonly Guard[]): boolean {
  return outer.every((g) => inner.some((h) => h.id === g.id && h.positive === g.positive && h.kind === g.kind));
}

/**
 * A release runs on the way out through `exit` after line `from`: before a return on its path,
 * or, for a goto, anywhere after the label (unwinding code falls through its labels). A label
 * that the hunks do not show counts as releasing: the rule cannot tell.
 */
export function releasedOnExit(fn: FunctionFacts, exit: Exit, from: number, isRelease: (c: Call) => boolean): boolean {
  const at = lineOf(exit.span);
  if (exit.kind === 'goto') {
    const label = fn.labels.find((l) => l.name === exit.label);
    if (!label) return true;
    return fn.calls.some((c) => isRelease(c) && lineOf(c.span) >= lineOf(label.span));
  }
  return fn.calls.some((c) => isRelease(c) && lineOf(c.span) > from && lineOf(c.span) <= at && dominates(c.guards, exit.guards));
}

/** A label stands between two lines: what follows it is unwinding code reached by gotos. */
export function labelBetween(fn: FunctionFacts, from: number, to: number): boolean {
  return fn.labels.some((l) => lineOf(l.span) > from && lineOf(l.span) < to);
}

/** Both spans sit in one hunk, so the lines between them are all visible. */
export function sameHunk(file: FileDiff, a: Span, b: Span): boolean {
  const first = a.lines[0];
  const second = b.lines[0];
  return !!first && !!second && file.hunks.some((h) => h.lines.includes(first) && h.lines.includes(second));
}

/** The guard proves `path` NULL (or 0) on this side: `if (!p)`, `if (p == NULL)`, the else arm of `if (p)`. */
export function provesNull(guards: readonly Guard[], path: string): boolean {
  return guards.some((g) => g.kind !== 'case' && atoms(g.cond, g.positive).some((a) => isNullTest(a.expr, a.positive, path)));
}

/** Some guard of the function tests `path` (for NULL, zero or an error), in any arm. */
export function isTested(fn: FunctionFacts, path: string): boolean {
  const mentions = (e: Expr) => e.paths.includes(path);
  return fn.ifs.some((g) => mentions(g.cond)) || fn.switches.some((s) => mentions(s.subject)) ||
    fn.calls.some((c) => TEST_CALLS.test(c.name) && c.args.some(mentions));
}

const TEST_CALLS = /^(WARN_ON(_ONCE)?|BUG_ON|IS_ERR_OR_NULL|IS_ERR|unlikely|likely)$/;

function isNullTest(e: Expr, positive: boolean, path: string): boolean {
  if (e.kind === 'path') return e.name === path && !positive;
  if (e.kind === 'binary' && (e.name === '==' || e.name === '!=') && e.args.some((a) => a.kind === 'path' && a.name === path)) {
    const other = e.args.find((a) => !(a.kind === 'path' && a.name === path));
    const isNull = !!other && /^(NULL|0)$/.test(other.text);
    return isNull && (e.name === '==') === positive;
  }
  if (e.kind === 'call' && /^(unlikely|likely)$/.test(e.name!) && e.args[0]) {
    return atoms(e.args[0], positive).some((a) => isNullTest(a.expr, a.positive, path));
  }
  return false;
}
