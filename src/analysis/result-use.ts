import { lineOf } from './file-analysis.js';
export { lineOf };
import { atoms, sufficient } from './expressions.js';
import type { Call, Expr, FunctionFacts, Guard, Span } from './facts.js';

/**
 * What a function does with the result of one call: which facts run when the result reports a
 * failure, and whether anything other than logging ever looks at it. R4 asks this of
 * pci_p2pdma_distance(), R5 of dma_map_sgtable().
 */

/** A fact of a function: where it stands and what dominates it. */
export interface Placed {
  span: Span;
  guards: readonly Guard[];
}

/** Calls that only report: passing a value to them is not acting on it. */
export function isLoggingCall(name: string): boolean {
  return /^(pr_[a-z_]+|printk\w*|dev_(err|warn|info|dbg|notice|crit|alert|emerg)\w*|pci_(err|warn|info|dbg|notice)\w*|pci_printk|netdev_(err|warn|info|dbg)\w*|ibdev_(err|warn|info|dbg)\w*|drm_(err|warn|info|dbg)\w*|DRM_\w+|WARN|WARN_ON|WARN_ONCE|WARN_ON_ONCE|trace_\w+)$/.test(name);
}

/** `-EINVAL`, `-1`, `ERR_PTR(...)`, `BLK_STS_INVAL` (not `BLK_STS_OK`), `false`, `NULL`, `DMA_MAPPING_ERROR`. */
export function isErrorValue(e: Expr): boolean {
  if (e.kind === 'unary' && e.name === '-') return /^(E[A-Z0-9]+|\d+)$/.test(e.args[0]?.text ?? '');
  if (e.kind === 'call') return e.name === 'ERR_PTR';
  return /^(BLK_STS_(?!OK\b)\w+|false|NULL|DMA_MAPPING_ERROR)$/.test(e.text);
}

/** Results that make the caller try again: a requeue (BLK_STS_RESOURCE) or a retryable errno. */
export function isRetryValue(e: Expr): boolean {
  return /^(-\s*(ENOMEM|EAGAIN)|BLK_STS_(DEV_)?RESOURCE)$/.test(e.text);
}


/** The result of `call`: the expression itself and the path it is stored to, if any. */
export interface Result {
  call: Call;
  holder?: string;
}

export function resultOf(call: Call): Result {
  return { call, holder: call.assignedTo };
}

/** True when `e` is the result (the call itself, or the path holding it). */
function isResult(e: Expr, r: Result): boolean {
  return (e.kind === 'call' && e.name === r.call.name && e.text.includes(r.call.expr.text)) || (e.kind === 'path' && e.name === r.holder);
}

/**
 * Whether `e` being true means the call failed (true), succeeded (false), or says nothing about it
 * (undefined). Error-returning calls: `rc`, `rc < 0`, `rc != 0` fail; `rc == 0`, `rc >= 0` succeed.
 * Tests for one particular errno (`rc == -EREMOTEIO`) say nothing here.
 */
function failsWhenTrue(e: Expr, r: Result): boolean | undefined {
  if (isResult(e, r)) return true;
  if (e.kind === 'call' && /^(unlikely|likely|WARN_ON|WARN_ON_ONCE)$/.test(e.name!) && e.args[0]) return failsWhenTrue(e.args[0], r);
  if (e.kind !== 'binary' || e.args.length !== 2) return undefined;
  const [left, right] = e.args as [Expr, Expr];
  const zero = (x: Expr) => x.text === '0';
  const [subject, other] = isResult(left, r) ? [left, right] : isResult(right, r) ? [right, left] : [undefined, undefined];
  if (!subject || !other || !zero(other)) return undefined;
  const op = subject === left ? e.name : mirror(e.name);
  if (op === '<' || op === '!=') return true;
  if (op === '==' || op === '>=') return false;
  return undefined;
}

function mirror(op: string | undefined): string | undefined {
  return op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
}

/** The guard of `fact` that places it on the failure path of the result, if any. */
function failureGuard(fact: Placed, r: Result): Guard | undefined {
  // what the arm implies (atoms), or what alone sends a failure into it (`if (rc || n < 0) goto out`)
  return fact.guards.find((g) => g.kind !== 'case' && (atoms(g.cond, g.positive).some((a) => failsWhenTrue(a.expr, r) === a.positive) ||
    sufficient(g.cond, g.positive).some((s) => failsWhenTrue(s.expr, r) === s.truth)));
}

/** The facts that run when the result reports a failure. */
export interface FailurePath {
  returns: FunctionFacts['returns'];
  gotos: FunctionFacts['gotos'];
  assignments: FunctionFacts['assignments'];
  calls: Call[];
}

export function failurePath(fn: FunctionFacts, r: Result): FailurePath {
  const on = <T extends Placed>(facts: readonly T[]) => facts.filter((f) => (f as Placed) !== r.call && failureGuard(f, r));
  return { returns: on(fn.returns), gotos: on(fn.gotos), assignments: on(fn.assignments), calls: on(fn.calls) };
}

/** The result goes on: returned, stored elsewhere, or handed to a call that is not logging. */
export function passesOn(fact: { value?: Expr; rhs?: Expr; lhs?: string; call?: Call }, r: Result): boolean {
  const mentions = (e: Expr | undefined) => !!e && (e.text === r.call.expr.text || (!!r.holder && e.paths.includes(r.holder)));
  if (fact.value) return mentions(fact.value);
  if (fact.rhs) return fact.lhs !== r.holder && mentions(fact.rhs);
  if (fact.call) return fact.call !== r.call && !isLoggingCall(fact.call.name) && fact.call.args.some(mentions);
  return false;
}

export type ResultUse = 'acted' | 'logged' | 'discarded' | 'unknown';

/**
 * How the function uses the result: it acts on it (tests it with a consequence, returns, stores or
 * passes it on), only logs it, throws it away, or the visible lines do not tell.
 */
export function resultUse(fn: FunctionFacts, call: Call): ResultUse {
  if (call.returned) return 'acted';
  const outer = enclosingCall(fn, call);
  if (outer) return isLoggingCall(outer.name) ? downgrade(resultUse(fn, outer)) : 'acted';
  if (call.conditionOf) return ifActs(fn, call.conditionOf) ? 'acted' : 'logged';
  if (call.assignedTo !== undefined) return holderUse(fn, { call, holder: call.assignedTo });
  const inExpression = [...fn.assignments.map((a) => a.rhs), ...fn.returns.flatMap((x) => (x.value ? [x.value] : [])),
    ...fn.switches.map((s) => s.subject), ...fn.ifs.map((g) => g.cond)];
  return inExpression.some((e) => e.callNames.includes(call.name) && e.text.includes(call.expr.text)) ? 'unknown' : 'discarded';
}

/** A logging call around the result (`WARN_ON(f() < 0)`) only logs it, unless that call is itself tested. */
function downgrade(use: ResultUse): ResultUse {
  return use === 'discarded' ? 'logged' : use;
}

function holderUse(fn: FunctionFacts, r: Result): ResultUse {
  if (r.holder!.includes('.')) return 'unknown'; // a field: read elsewhere
  const reads = (e: Expr) => e.paths.includes(r.holder!);
  const tests = fn.ifs.filter((g) => reads(g.cond));
  if (tests.some((g) => ifActs(fn, g.id))) return 'acted';
  if (fn.switches.some((s) => reads(s.subject))) return 'acted';
  if (fn.returns.some((x) => passesOn({ value: x.value }, r)) || fn.assignments.some((a) => passesOn(a, r))) return 'acted';
  if (fn.calls.some((c) => passesOn({ call: c }, r))) return 'acted';
  const logged = tests.length > 0 || fn.calls.some((c) => c !== r.call && isLoggingCall(c.name) && c.args.some(reads));
  return logged ? 'logged' : 'unknown';
}

/** Something other than logging runs under either arm of the if (or after it, when it exits early). */
function ifActs(fn: FunctionFacts, ifId: string): boolean {
  const under = (f: Placed) => f.guards.some((g) => g.id === ifId);
  return fn.returns.some(under) || fn.gotos.some(under) || fn.assignments.some(under) ||
    fn.calls.some((c) => under(c) && !onlyLogs(fn, c) && c.conditionOf !== ifId);
}

/** A logging call, or a call made to build a log message (`dev_name(dev)` inside `pr_info()`). */
function onlyLogs(fn: FunctionFacts, call: Call): boolean {
  if (isLoggingCall(call.name)) return true;
  const outer = enclosingCall(fn, call);
  return !!outer && onlyLogs(fn, outer);
}

/** The call whose arguments hold `call`, if any (the innermost). */
function enclosingCall(fn: FunctionFacts, call: Call): Call | undefined {
  const holds = (c: Call) => c !== call && c.args.some((a) => a.callNames.includes(call.name) && a.text.includes(call.expr.text));
  const outers = fn.calls.filter(holds);
  return outers.sort((a, b) => a.expr.text.length - b.expr.text.length)[0];
}
