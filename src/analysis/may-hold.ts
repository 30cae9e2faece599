import { roleOf, rolesOf } from './catalogue.js';
import type { Expr, FunctionFacts } from './facts.js';
import { loopsOf, norm } from './fact-paths.js';
import { P2P_AWARE_LIST_MAPPERS, P2P_PAGE_TESTS } from './p2p-api.js';

/**
 * Which expressions can hold a value at all in the value-flow engine (value-flow.ts), for a short
 * cut: a large file has hundreds of functions and thousands of expressions, few of which ever
 * meet a source (issue 11: the tree scan of drivers/). This is the engine's own evaluation with
 * every precision dropped: no paths (every definition reaches), no guards, no kills, no strengths;
 * a value starts wherever the engine could start one (a catalogue source, exposed accessor, GUP
 * call, entry iterator, page test or P2P-aware mapper, a `.resource.start` path), and crosses
 * functions through each channel the engine has (summaries: returns and writes through pointer
 * parameters; parameter bindings; the field store, by the field's last name). Solved to a fixpoint
 * over the functions of the flow, it over-approximates every value the engine can compute, at any
 * round of its solving: an expression it calls cold evaluates to nothing, so FunctionFlow answers
 * it without evaluating it. Only speed depends on this.
 */
export interface MayHold {
  /** `e`, evaluated in `fn` (a function of the flow), may hold a value. */
  holds(fn: FunctionFacts, e: Expr): boolean;
  /** A function of the flow of this name may write a value through a pointer parameter (its summary's `writes`). */
  writesThrough(name: string): boolean;
}

interface Unit {
  fn: FunctionFacts;
  removed: readonly FunctionFacts[];
}

export function mayHold(units: readonly Unit[]): MayHold {
  return new Solver(units);
}

/** What step() reads of a function, gathered once: the definitions and calls that can move a value. */
interface Plan {
  fn: FunctionFacts;
  hot: Set<string>;
  assigns: { lhs: string; rhs: Expr }[];
  writers: { target: string; from: Expr }[];
  /** Calls of functions of the flow: their arguments bind parameters and take what the callee writes. */
  named: { name: string; args: readonly Expr[] }[];
  iterators: { entry: string; list: Expr }[];
  /** Assignments to a parameter (summary writes). */
  paramWrites: { index: number; rhs: Expr }[];
  returns: Expr[];
}

class Solver implements MayHold {
  private readonly plans = new Map<FunctionFacts, Plan>();
  /** Functions with a page test or a P2P-aware mapper (evidence): every path may hold it. */
  private readonly evidence = new Set<FunctionFacts>();
  /** Names of functions whose returns may hold a value. */
  private readonly returns = new Set<string>();
  /** `name#i`: the function writes a value through its pointer parameter i. */
  private readonly writes = new Set<string>();
  /** `name#i`: some call binds a value to parameter i of the function. */
  private readonly params = new Set<string>();
  /** Last names of fields some definition may store a value into. */
  private readonly fields = new Set<string>();
  /** Names of the functions of the flow (their calls have summaries). */
  private readonly named = new Set<string>();
  /** Names of the functions of the flow that write a value through a pointer parameter. */
  private readonly writers = new Set<string>();

  constructor(units: readonly Unit[]) {
    for (const u of units) if (u.fn.name) this.named.add(u.fn.name);
    for (const u of units) {
      this.plans.set(u.fn, this.plan(u.fn));
      if ([u.fn, ...u.removed].some((f) => f.calls.some((c) => P2P_PAGE_TESTS.has(c.name) || P2P_AWARE_LIST_MAPPERS.has(c.name)))) this.evidence.add(u.fn);
    }
    const plans = [...this.plans.values()];
    for (let changed = true; changed;) {
      changed = false;
      for (const p of plans) changed = this.step(p) || changed;
    }
  }

  holds(fn: FunctionFacts, e: Expr): boolean {
    return !this.plans.has(fn) || this.value(fn, e, 0);
  }

  writesThrough(name: string): boolean {
    return this.writers.has(name);
  }

  private plan(fn: FunctionFacts): Plan {
    const plan: Plan = { fn, hot: new Set(), assigns: [], writers: [], named: [], iterators: [], paramWrites: [], returns: [] };
    const pathOf = (e: Expr | undefined) => (e?.kind === 'path' ? norm(e.name!) : undefined);
    const mark = (e: Expr | undefined) => { const p = pathOf(e); if (p !== undefined) plan.hot.add(p); };
    for (const a of fn.assignments) {
      plan.assigns.push({ lhs: norm(a.lhs), rhs: a.rhs });
      const index = fn.name ? fn.params.findIndex((p) => p.name === a.lhs) : -1;
      if (index >= 0) plan.paramWrites.push({ index, rhs: a.rhs });
    }
    for (const call of fn.calls) {
      const roles = rolesOf(call.name);
      if (roles.length) {
        const source = roleOf(call.name, 'source');
        if (source?.out !== undefined) mark(call.args[source.out]);
        const writer = roleOf(call.name, 'writer');
        const from = writer ? call.args[writer.from] : undefined;
        const target = writer ? pathOf(call.args[writer.target]) : undefined;
        if (from && target !== undefined) plan.writers.push({ target, from });
        if (roleOf(call.name, 'gup-call')) call.args.slice(1).forEach(mark);
        if (roleOf(call.name, 'exposed-accessor')?.out !== undefined) mark(call.args.at(-1));
      }
      if (this.named.has(call.name)) plan.named.push({ name: call.name, args: call.args });
    }
    for (const loop of loopsOf(fn)) {
      const it = roleOf(loop.name, 'entry-iterator');
      if (!it) continue;
      const list = loop.args[it.list];
      const entry = pathOf(loop.args[it.entry]);
      if (entry === undefined) continue;
      if (it.over === 'request') plan.hot.add(entry);
      else if (list) plan.iterators.push({ entry, list });
    }
    if (fn.name) for (const r of fn.returns) if (r.value) plan.returns.push(r.value);
    return plan;
  }

  /** One pass over a function's definitions and outgoing channels; true when anything grew. */
  private step(plan: Plan): boolean {
    const { fn, hot } = plan;
    const before = hot.size + this.returns.size + this.writes.size + this.params.size + this.fields.size;
    for (let grew = true; grew;) {
      const size = hot.size;
      for (const a of plan.assigns) if (!hot.has(a.lhs) && this.value(fn, a.rhs, 0)) hot.add(a.lhs);
      for (const w of plan.writers) if (!hot.has(w.target) && this.value(fn, w.from, 0)) hot.add(w.target);
      for (const it of plan.iterators) if (!hot.has(it.entry) && this.value(fn, it.list, 0)) hot.add(it.entry);
      for (const c of plan.named) {
        c.args.forEach((arg, i) => { if (arg.kind === 'path' && this.writes.has(`${c.name}#${i}`)) hot.add(norm(arg.name!)); });
      }
      grew = hot.size !== size;
    }
    if (fn.name && !this.returns.has(fn.name) && plan.returns.some((r) => this.value(fn, r, 0))) this.returns.add(fn.name);
    for (const w of plan.paramWrites) {
      const key = `${fn.name}#${w.index}`;
      if (!this.writes.has(key) && this.value(fn, w.rhs, 0)) { this.writes.add(key); this.writers.add(fn.name); }
    }
    for (const c of plan.named) {
      c.args.forEach((arg, i) => { const key = `${c.name}#${i}`; if (!this.params.has(key) && this.value(fn, arg, 0)) this.params.add(key); });
    }
    for (const p of hot) {
      const dot = p.lastIndexOf('.');
      if (dot > 0) this.fields.add(p.slice(dot + 1));
    }
    return hot.size + this.returns.size + this.writes.size + this.params.size + this.fields.size !== before;
  }

  /** FunctionFlow.evaluate, every branch that can give a value kept. */
  private value(fn: FunctionFacts, e: Expr, depth: number): boolean {
    if (depth > 64) return true;
    switch (e.kind) {
      case 'call': {
        const name = e.name!;
        if (primal(name)) return true;
        const carrier = roleOf(name, 'carrier');
        if (carrier && e.args[carrier.from] && this.value(fn, e.args[carrier.from]!, depth + 1)) return true;
        if (this.named.has(name)) return this.returns.has(name) || e.args.some((a) => this.value(fn, a, depth + 1));
        return false;
      }
      case 'path': return this.path(fn, norm(e.name!));
      case 'binary':
        if (e.name === '+') return e.args.some((a) => this.value(fn, a, depth + 1));
        if (e.name === '-' && e.args[0]) return this.value(fn, e.args[0], depth + 1);
        return false;
      default:
        return false;
    }
  }

  /** FunctionFlow.pathValue: definitions, carrying sub-fields, parameters, the field store, BAR resources, containers, evidence. */
  private path(fn: FunctionFacts, path: string): boolean {
    if (this.evidence.has(fn)) return true;
    const hot = this.plans.get(fn)!.hot;
    for (let p = path; ;) {
      if (hot.size) {
        if (hot.has(p)) return true;
        for (const h of hot) if (h.length > p.length && h.startsWith(p) && h[p.length] === '.') return true;
      }
      const dot = p.lastIndexOf('.');
      if (dot <= 0) {
        const i = fn.params.findIndex((q) => q.name === p);
        return i >= 0 && this.params.has(`${fn.name}#${i}`);
      }
      if (this.fields.has(p.slice(dot + 1))) return true;
      if (p.endsWith('resource.start')) return true;
      p = p.slice(0, dot);
    }
  }
}

/** Where the engine can start a value, whatever the arguments. */
function primal(name: string): boolean {
  // the catalogue keeps its rows by name: a lookup, no cache needed
  return rolesOf(name).some((r) => r.role === 'source' || r.role === 'exposed-accessor' || r.role === 'gup-call');
}
