import { TAINTED, roleOf, rolesOf, type Produces } from './catalogue.js';
import { exclusive } from './map-pairing.js';
import type { Call, Expr, FunctionFacts, Guard, Loop, Param, Span } from './facts.js';
import { isDmaOpsField, isMapTypeField, provesNotP2P, rejectsP2P } from './guards.js';
import { P2P_AWARE_LIST_MAPPERS, P2P_GUP_FLAGS, P2P_PAGE_TESTS } from './p2p-api.js';
import { mayHold, type MayHold } from './may-hold.js';
import { loopsOf, norm } from './fact-paths.js';

/**
 * The engine's short cuts, which change only its speed (test/analysis/may-hold.test.ts turns them
 * off and compares every finding).
 */
export const shortCuts = { mayHold: true };

/**
 * One value-flow engine for every rule (spec section C: "a P2P-tainted value (T) is anything
 * derived from a B1 source"). It reads the API catalogue, never a list of its own.
 *
 * - Values carry a set of origins; a table written with host and P2P entries holds both.
 * - Flow is path-sensitive within a function: a value is what the definitions that reach the
 *   point give (an assignment kills earlier ones on every path through it; each branch keeps its
 *   own; opposite arms of one decision never meet).
 * - Fields are keyed by their object: the struct type of the base (`struct hl_device.bar`), or,
 *   where no declaration is visible, the access path itself; never by the bare field name.
 * - Functions the patch (or the tree file) defines get summaries: what they return, which
 *   parameter they return, what they write through a pointer parameter; callers' arguments bind
 *   to parameters unless the call site proves the memory is not P2P. Summaries span every file of
 *   a patch.
 * - Writers (sg_set_page, bvec_set_page, ...) fill the table they write; GUP calls with a P2P flag
 *   fill their pages array; iterators hand the list's origins to the entry.
 * - Exposure: where a driver advertises P2P for its queue, its request data (req_bvec(), request
 *   iterators, blk_rq_map_sg() output) may be P2P.
 * - PCI BAR versus platform MMIO: ioremap() of a PCI BAR address is a BAR; of anything else, not.
 */
export type Origin = 'p2pmem' | 'bar' | 'gup' | 'exposed' | 'evidence';

export interface Taint {
  origin: Origin;
  /** Human words for where it came from: "pci_alloc_p2pmem()" or "is_pci_p2pdma_page() test". */
  via: string;
  span?: Span;
  /** The catalogue's kind of memory, for sources. */
  produces?: Produces;
  /** Access path of the device whose memory it is, in the function that made it. */
  owner?: string;
  /** The value reached a parameter: the call that passed it. */
  through?: { call: Call };
  /** An object that a source filled (a `struct pci_bus_region`): its fields hold the address. */
  region?: boolean;
  /**
   * The value came from a struct field set elsewhere or from a caller's argument: P2P only on the
   * paths where that store or caller is the one that ran (severity calibration: warning, not error).
   */
  indirect?: boolean;
}

export type TaintMap = Map<string, Taint>;

const STRENGTH: Record<Origin, number> = { p2pmem: 4, bar: 4, gup: 3, exposed: 2, evidence: 1 };

/** A place in a function: what holds there and in which loops. */
export interface Point {
  span: Span;
  guards: readonly Guard[];
  loops: readonly Loop[];
}

export interface FlowView {
  /** Flow-insensitive: what any definition of the function gives (strongest origin). */
  of(e: Expr): Taint | undefined;
  /** Every origin, flow-insensitive. */
  all(e: Expr): Taint[];
  /** Path-sensitive: what `e` holds at `point`. */
  at(point: Point): { of(e: Expr): Taint | undefined; all(e: Expr): Taint[] };
  /** Paths with a definition that carries P2P (flow-insensitive), for rules that scan names. */
  paths: TaintMap;
  /**
   * Follows `e` back through the definitions that reach `point` (locals, conversions,
   * arithmetic) until `found` says yes.
   */
  trace<T>(e: Expr, point: Point | undefined, found: (x: Expr) => T | undefined): T | undefined;
}

interface Def {
  path: string;
  strong: boolean;
  point: Point;
  pos: number;
  /** Only inside this loop (iterator entries). */
  inLoop?: string;
  value(): Taint[];
  /** The expression the path was set from, for trace(). */
  rhs?: Expr;
}

interface Summary {
  returns: Taint[];
  returnsParams: Set<number>;
  writes: Map<number, Taint[]>;
}

/** One patch (or one tree file): the functions of all its files and what flows between them. */
export class PatchFlow {
  private readonly units: { fn: FunctionFacts; path: string; removed: FunctionFacts[]; flow?: FunctionFlow }[] = [];
  readonly fields = new Map<string, { taint: Taint; typed: boolean }>();
  /** Field keys that some definition fills with memory that is not P2P (host memory, NULL, unknown). */
  readonly hostStores = new Set<string>();
  readonly summaries = new Map<string, Summary>();
  readonly params = new Map<string, Map<number, Taint[]>>();
  private readonly advertised = new Map<string, Taint>();
  /** Files whose driver registers its own device as a P2P provider (with where). */
  private readonly providers = new Map<string, Span>();
  private solved = false;

  add(path: string, functions: readonly FunctionFacts[], removed: readonly FunctionFacts[], initializers: readonly { fields: { field: string; value: Expr; span: Span }[] }[] = []): void {
    for (const fn of functions) {
      this.units.push({ fn, path, removed: removed.filter((r) => r.name !== '' && r.name === fn.name) });
      this.noteAdvertisements(path, fn.assignments.map((a) => ({ e: a.rhs, span: a.span })));
      this.noteAdvertisements(path, fn.calls.flatMap((c) => c.args.map((e) => ({ e, span: c.span }))));
      for (const init of fn.initializers) this.noteInitializer(path, init.fields);
      const reg = fn.calls.find((c) => roleOf(c.name, 'provider-registration'));
      if (reg && !this.providers.has(dirOf(path))) this.providers.set(dirOf(path), reg.span);
    }
    for (const init of initializers) this.noteInitializer(path, init.fields);
    this.solved = false;
  }

  private noteInitializer(path: string, fields: { field: string; value: Expr; span: Span }[]): void {
    for (const f of fields) {
      const adv = roleOf(f.field, 'advertisement');
      if (adv?.form === 'field') this.advertise(path, { origin: 'exposed', via: `.${f.field} = ${f.value.text}`, span: f.span });
    }
    this.noteAdvertisements(path, fields.map((f) => ({ e: f.value, span: f.span })));
  }

  private noteAdvertisements(path: string, values: { e: Expr; span: Span }[]): void {
    for (const { e, span } of values) {
      const flag = e.identifiers.find((i) => roleOf(i, 'advertisement')?.form === 'flag');
      if (flag) this.advertise(path, { origin: 'exposed', via: flag, span });
    }
  }

  private advertise(path: string, t: Taint): void {
    const dir = dirOf(path);
    if (!this.advertised.has(dir)) this.advertised.set(dir, t);
  }

  /** A function the patch (or the file) defines, by name. */
  functionNamed(name: string): FunctionFacts | undefined {
    return this.units.find((u) => u.fn.name === name)?.fn;
  }

  /** The functions of the patch that call `name`. */
  callersOf(name: string): FunctionFacts[] {
    return this.units.filter((u) => u.fn.calls.some((c) => c.name === name)).map((u) => u.fn);
  }

  /** The driver of this file registers its own device as a P2P provider: its p2pmem is its own (queue) memory. */
  providerOf(path: string): Span | undefined {
    return this.providers.get(dirOf(path));
  }

  /** The advertisement that makes this file's request data possibly P2P (same driver directory). */
  exposureOf(path: string): Taint | undefined {
    return this.advertised.get(dirOf(path));
  }

  /**
   * Facts of every file are in: wrappers the patch defines are inlined at their call sites and
   * guards resolved. Idempotent; rules see the facts only after it.
   */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.inlineWrappers();
    // every rule sees guards through stored predicates, whether or not it asks for the value flow
    this.resolveGuards();
  }
  private finished = false;
  private guardsResolved = false;
  /** Wrappers inlined at their call sites, with the functions that call them. */
  readonly inlinedInto = new Map<string, Set<string>>();

  /**
   * A function of the patch whose body is one call (`return dma_map_single(d, p, len, dir);`,
   * `sg_set_buf(sg, pci_alloc_p2pmem(pdev, len), len);`) is a wrapper: each call of it stands
   * for that call with the arguments put in for the parameters, as a macro would (the call keeps
   * its place, its guards and what it is assigned to). Wrappers of wrappers unfold twice.
   */
  private inlineWrappers(): void {
    for (let round = 0; round < 2; round++) {
      const wrappers = new Map<string, { params: string[]; body: Expr; calls: Expr[]; sets?: { param: number; field: string } }>();
      for (const u of this.units) {
        const fn = u.fn;
        const setter = setterOf(fn);
        if (setter) { wrappers.set(fn.name, setter); continue; }
        // a `?:` that only picks an argument's value (no call in its arms) keeps the body one call
        const picksOnly = fn.ifs.every((g) => g.kind === 'ternary') && fn.calls.every((c) => !c.guards.some((g) => g.kind === 'ternary'));
        if (!fn.name || fn.assignments.length || !picksOnly || fn.switches.length || fn.gotos.length || fn.returns.length > 1) continue;
        if (!fn.calls.length || fn.calls.some((c) => c.loops.length || c.name === fn.name)) continue;
        const value = fn.returns[0]?.value;
        let body: Expr | undefined;
        if (value) {
          if (fn.calls.every((c) => contains(value, c.expr))) body = value;
        } else {
          const outer = fn.calls.filter((c) => !fn.calls.some((o) => o !== c && o.args.some((a) => contains(a, c.expr))));
          if (outer.length === 1) body = outer[0]!.expr;
        }
        if (!body) continue;
        const calls = outermostFirst(fn.calls);
        wrappers.set(fn.name, { params: fn.params.map((p) => p.name), body, calls });
      }
      if (!wrappers.size) return;
      let changed = false;
      for (const u of this.units) {
        const fn = u.fn;
        // a wrapper of a wrapper, or a function whose one statement calls a wrapper, is inlined into too
        // (its own unfolding at its call sites happens in the next round, from its updated body)
        const added: Call[] = [];
        for (const c of fn.calls) {
          const w = wrappers.get(c.name);
          if (!w) continue;
          const bind = (e: Expr) => bindParams(e, w.params, c.args);
          const [first, ...rest] = w.calls.map(bind);
          const name = c.name;
          const callers = this.inlinedInto.get(name) ?? new Set<string>();
          callers.add(fn.name);
          this.inlinedInto.set(name, callers);
          // a setter (`ctx->buf = alloc(...)`) stores its value into the field of the object the caller passed
          const target = w.sets ? fieldOfArg(c.args[w.sets.param], w.sets.field) : undefined;
          if (w.sets && !target) continue;
          Object.assign(c, { name: first!.name ?? c.name, args: first!.args, expr: withText(first!, c.expr.text), wrapper: name },
            target ? { assignedTo: target.path } : {});
          if (target) {
            const rhs = bind(w.body);
            fn.assignments.push({ span: c.span, guards: c.guards, loops: c.loops, lhs: target.path, op: '=', rhs: withText(rhs, c.expr.text),
              lhsExpr: { text: target.text, kind: 'path', name: target.path, args: [], paths: [target.path], callNames: [], identifiers: [] } });
          }
          // inner calls of the body are arguments of the outer one: the call site's result is not theirs
          for (const n of rest) added.push({ ...c, name: n.name ?? '', args: n.args, expr: n, wrapper: name, assignedTo: undefined, returned: false });
          changed = true;
        }
        fn.calls.push(...added);
        // an expression that names no wrapper (callNames holds every call inside it) is left as it is
        const inline = (e: Expr): Expr => (e.callNames.some((n) => wrappers.has(n)) ? inlineExpr(e, wrappers) : e);
        for (const a of fn.assignments) a.rhs = inline(a.rhs);
        for (const r of fn.returns) if (r.value) r.value = inline(r.value);
        for (const s of fn.switches) s.subject = inline(s.subject);
        const seen = new Set<Guard>();
        for (const f of [...fn.calls, ...fn.assignments, ...fn.returns, ...fn.gotos, ...fn.switches]) {
          for (const g of f.guards) if (!seen.has(g)) { seen.add(g); g.cond = inline(g.cond); }
        }
        for (const g of fn.ifs) if (!seen.has(g)) { seen.add(g); g.cond = inline(g.cond); }
      }
      if (!changed) return;
    }
  }

  flowOf(fn: FunctionFacts): FlowView {
    this.finish();
    this.solve();
    const unit = this.units.find((u) => u.fn === fn);
    if (!unit) {
      const flow = new FunctionFlow(this, fn, '', []);
      return flow.view();
    }
    unit.flow ??= new FunctionFlow(this, fn, unit.path, unit.removed);
    return unit.flow.view();
  }

  /** Summaries, field stores and parameter bindings to a fixpoint (bounded). */
  private solve(): void {
    if (this.solved) return;
    this.solved = true;
    this.resolveGuards();
    if (shortCuts.mayHold) this.mayHold = mayHold(this.units);
    const named = new Map<string, FunctionFacts>();
    for (const u of this.units) if (u.fn.name) named.set(u.fn.name, u.fn);
    for (let round = 0; round < 3; round++) {
      let changed = false;
      // a flow that has evaluated nothing yet, whose definitions no summary can change, is the flow a new one would be
      for (const u of this.units) if (!u.flow?.reusable()) u.flow = new FunctionFlow(this, u.fn, u.path, u.removed);
      for (const u of this.units) {
        const flow = u.flow!;
        changed = flow.publishFields() || changed;
        if (u.fn.name) changed = this.summarise(u.fn, flow) || changed;
        for (const call of u.fn.calls) {
          const callee = named.get(call.name);
          if (callee && callee !== u.fn) changed = this.bind(call, callee, flow) || changed;
        }
      }
      if (!changed) break;
    }
    for (const u of this.units) if (!u.flow?.reusable()) u.flow = undefined;
  }

  /**
   * Guards see through stored predicates and predicate helpers: `bool p2p = is_pci_p2pdma_page(..);
   * if (!p2p)`, `ctx->p2p = ...` tested in another function, `if (!foo_is_p2p(page))` where the
   * patch's helper returns the predicate. Each such atom keeps its text (what the code says) and
   * takes the shape and mentions of what it stands for, so every guard query (not P2P, map type
   * decided, capability checked) holds for the equivalent forms.
   */
  private resolveGuards(): void {
    if (this.guardsResolved) return;
    this.guardsResolved = true;
    const helpers = new Map<string, Expr>();
    const fields = new Map<string, Expr>();
    for (const u of this.units) {
      const ret = u.fn.returns.find((r) => r.value && isPredicate(r.value));
      if (u.fn.name && ret) helpers.set(u.fn.name, ret.value!);
      for (const a of u.fn.assignments) {
        if (a.op !== '=' || !a.lhs.includes('.') || !isPredicate(a.rhs)) continue;
        fields.set(`#${a.lhs.slice(a.lhs.lastIndexOf('.') + 1)}`, a.rhs);
      }
    }
    for (const u of this.units) {
      const locals = new Map<string, Expr | null>();
      for (const a of u.fn.assignments) {
        if (a.lhs.includes('.') || a.op !== '=') continue;
        const known = locals.get(a.lhs);
        locals.set(a.lhs, known === undefined && isPredicate(a.rhs) ? a.rhs : null);
      }
      // any condition stored once in this function (`bool failed = unlikely(ret < 0);`, `ctx->busy = n > 0;`)
      // and tested later, while nothing it reads is written again in between
      const stored = new Map<string, FunctionFacts['assignments'][number] | null>();
      for (const a of u.fn.assignments) {
        const known = stored.get(a.lhs);
        stored.set(a.lhs, known === undefined && a.op === '=' && isCondition(a.rhs) ? a : null);
      }
      let at = 0;
      const resolveLeaf = (e: Expr): Expr | undefined => {
        if (e.kind === 'call' && !isPredicate(e)) return helpers.get(e.name!);
        if (e.kind === 'path') {
          const local = locals.get(e.name!);
          if (local) return local;
          const condition = stored.get(e.name!);
          if (condition && position(condition.span) < at && !rewrittenBetween(u.fn, condition, at)) return condition.rhs;
          if (local === undefined && e.name!.includes('.')) return fields.get(`#${e.name!.slice(e.name!.lastIndexOf('.') + 1)}`);
        }
        return undefined;
      };
      const seen = new Set<Guard>();
      const all: Guard[] = [...u.fn.ifs];
      for (const f of [...u.fn.calls, ...u.fn.assignments, ...u.fn.returns, ...u.fn.gotos, ...u.fn.switches]) all.push(...f.guards);
      for (const g of all) {
        if (seen.has(g)) continue;
        seen.add(g);
        at = position(g.span);
        g.cond = substitute(g.cond, resolveLeaf);
      }
    }
  }

  /** What can hold a value at all (may-hold.ts), from solve() on: FunctionFlow skips the rest. */
  mayHold?: MayHold;

  private summarise(fn: FunctionFacts, flow: FunctionFlow): boolean {
    const known = this.summaries.get(fn.name);
    const summary: Summary = { returns: [], returnsParams: new Set(), writes: new Map() };
    for (const r of fn.returns) {
      if (!r.value) continue;
      summary.returns.push(...flow.valuesAt(r.value, r).filter(isT));
      for (const part of valueParts(r.value)) {
        const i = part.kind === 'path' ? fn.params.findIndex((p) => p.name === part.name) : -1;
        if (i >= 0) summary.returnsParams.add(i);
      }
    }
    for (const a of fn.assignments) {
      if (a.declaration || !a.lhsExpr.text.trim().startsWith('*')) continue;
      const i = fn.params.findIndex((p) => p.name === a.lhs);
      if (i < 0) continue;
      const v = flow.valuesAt(a.rhs, a).filter(isT);
      if (v.length) summary.writes.set(i, [...(summary.writes.get(i) ?? []), ...v]);
    }
    this.summaries.set(fn.name, summary);
    return !known || known.returns.length !== summary.returns.length || known.returnsParams.size !== summary.returnsParams.size ||
      known.writes.size !== summary.writes.size;
  }

  private bind(call: Call, callee: FunctionFacts, flow: FunctionFlow): boolean {
    if (provesNotP2P(call.guards)) return false;
    let changed = false;
    call.args.forEach((arg, i) => {
      if (!callee.params[i]) return;
      const v = flow.valuesAt(arg, call).filter(isT);
      if (!v.length) return;
      const bound = this.params.get(callee.name) ?? new Map<number, Taint[]>();
      this.params.set(callee.name, bound);
      const had = bound.get(i) ?? [];
      const fresh = v.filter((t) => !had.some((h) => h.via === t.via && h.origin === t.origin));
      if (!fresh.length) return;
      bound.set(i, [...had, ...fresh.map((t) => ({ ...t, span: t.span ?? call.span, through: t.through ?? { call } }))]);
      changed = true;
    });
    return changed;
  }

  storeField(keys: { key: string; typed: boolean }[], taint: Taint): boolean {
    let changed = false;
    for (const k of keys) {
      const had = this.fields.get(k.key);
      if (had && STRENGTH[had.taint.origin] >= STRENGTH[taint.origin]) continue;
      this.fields.set(k.key, { taint, typed: k.typed });
      changed = true;
    }
    return changed;
  }
}

class FunctionFlow {
  private readonly defs = new Map<string, Def[]>();
  private readonly evidence: TaintMap = new Map();
  private readonly types = new Map<string, string>();
  private readonly memo = new Map<string, Taint[]>();
  private readonly active = new Set<string>();

  constructor(private readonly patch: PatchFlow, readonly fn: FunctionFacts, readonly path: string, removed: readonly FunctionFacts[]) {
    for (const p of [...fn.params, ...(fn.locals ?? [])]) { const t = p.name ? typeKey(p.type) : undefined; if (t) this.types.set(p.name, t); }
    this.collectEvidence([fn, ...removed]);
    this.collectDefs();
  }

  view(): FlowView {
    const all = (e: Expr) => this.valuesAt(e, undefined);
    const paths: TaintMap = new Map();
    for (const [path, defs] of this.defs) {
      const best = strongest(defs.flatMap((d) => d.value()));
      if (best) paths.set(path, best);
    }
    for (const [path, t] of this.evidence) if (!paths.has(path)) paths.set(path, t);
    return {
      of: (e) => strongest(all(e)),
      all,
      at: (point) => ({ of: (e) => strongest(this.valuesAt(e, point)), all: (e) => this.valuesAt(e, point) }),
      paths,
      trace: (e, point, found) => this.trace(e, point, found),
    };
  }

  /**
   * Nothing evaluated is kept (every question so far was one may-hold.ts answers without
   * evaluating), and no call of the function can take a definition from a summary's writes
   * (collectDefs reads them when the flow is made): a flow made now would be the same.
   */
  reusable(): boolean {
    const mayHold = this.patch.mayHold;
    return !!mayHold && this.memo.size === 0 && this.active.size === 0 && !this.fn.calls.some((c) => mayHold.writesThrough(c.name));
  }

  /** Field definitions of this function go to the patch's field store. */
  publishFields(): boolean {
    let changed = false;
    for (const [path, defs] of this.defs) {
      if (!path.includes('.')) continue;
      const keys = this.fieldKeys(path);
      if (!keys.length) continue;
      for (const d of defs) {
        const values = d.value().filter(isT);
        if (!values.length && d.strong && !isNull(d.rhs)) for (const k of keys) this.patch.hostStores.add(k.key);
        for (const t of values) changed = this.patch.storeField(keys, { ...t, span: t.span ?? d.point.span, owner: undefined, through: undefined }) || changed;
      }
    }
    return changed;
  }

  /**
   * A field's object: `a.f` with `a` declared `struct foo *` is field f of struct foo; a nested
   * path (`q.ctrl.f`) or an undeclared root has an unknown base type.
   */
  private fieldKeys(path: string): { key: string; typed: boolean }[] {
    const segs = path.split('.');
    if (segs.length < 2) return [];
    const type = segs.length === 2 ? this.types.get(segs[0]!) : undefined;
    return [{ key: `${type ?? '?'}#${segs.at(-1)}`, typed: !!type }];
  }

  /**
   * Typed lookups match stores of the same struct type, or stores whose base type was unknown.
   * `someOnly`: another store fills the field with memory that is not P2P.
   */
  private fieldLookup(path: string): (Taint & { someOnly: boolean }) | undefined {
    const segs = path.split('.');
    if (segs.length < 2) return undefined;
    const field = segs.at(-1)!;
    const type = segs.length === 2 ? this.types.get(segs[0]!) : undefined;
    const hit = (key: string) => {
      const entry = this.patch.fields.get(key);
      return entry && { ...entry.taint, someOnly: [...this.patch.hostStores].some((k) => k.endsWith(`#${field}`)) };
    };
    if (type) return hit(`${type}#${field}`) ?? hit(`?#${field}`);
    for (const key of this.patch.fields.keys()) if (key.endsWith(`#${field}`)) return hit(key);
    return undefined;
  }

  private collectEvidence(functions: readonly FunctionFacts[]): void {
    for (const f of functions) {
      for (const call of f.calls) {
        if (P2P_PAGE_TESTS.has(call.name) && call.args[0] && !rejectsP2P(f, call)) {
          const subject = unwrapCarrier(call.args[0]);
          if (subject && !this.evidence.has(subject)) this.evidence.set(subject, { origin: 'evidence', via: `${call.name}() test`, span: call.span });
        }
        if (P2P_AWARE_LIST_MAPPERS.has(call.name) && call.args[1]?.kind === 'path') {
          const p = norm(call.args[1].name!);
          if (!this.evidence.has(p)) this.evidence.set(p, { origin: 'evidence', via: `${call.name}()`, span: call.span });
        }
      }
    }
  }

  private addDef(d: Omit<Def, 'pos'>): void {
    const path = norm(d.path);
    const list = this.defs.get(path) ?? [];
    list.push({ ...d, path, pos: position(d.point.span) });
    this.defs.set(path, list);
  }

  private collectDefs(): void {
    const fn = this.fn;
    for (const a of fn.assignments) {
      if (a.op !== '=' && a.op !== '+=' && a.op !== '-=') continue;
      const deref = !a.declaration && a.lhsExpr.text.trim().startsWith('*');
      const strong = a.op === '=' && !a.lhs.includes('[') && !deref;
      this.addDef({ path: a.lhs, strong, point: a, rhs: a.rhs, value: () => this.valuesAt(a.rhs, a) });
    }
    const gupFlagVars = new Set(fn.assignments.filter((a) => a.rhs.identifiers.some((i) => P2P_GUP_FLAGS.has(i))).map((a) => a.lhs));
    for (const call of fn.calls) {
      const outSource = roleOf(call.name, 'source');
      const outArg = outSource?.out !== undefined ? call.args[outSource.out] : undefined;
      if (outSource && outArg?.kind === 'path' && TAINTED.has(outSource.produces)) {
        const taint: Taint = { origin: 'bar', via: `${call.name}()`, produces: outSource.produces, span: call.span, region: true };
        this.addDef({ path: outArg.name!, strong: false, point: call, value: () => [taint] });
      }
      const writer = roleOf(call.name, 'writer');
      const target = writer ? call.args[writer.target] : undefined;
      if (writer && target?.kind === 'path' && call.args[writer.from]) {
        const from = call.args[writer.from]!;
        this.addDef({ path: target.name!, strong: false, point: call, rhs: from, value: () => this.valuesAt(from, call).map((t) => ({ ...t, via: `${t.via} via ${call.name}()` })) });
      }
      const gup = roleOf(call.name, 'gup-call');
      if (gup && call.args.some((arg) => arg.identifiers.some((i) => P2P_GUP_FLAGS.has(i)) || (arg.kind === 'path' && gupFlagVars.has(arg.name!)))) {
        const taint: Taint = { origin: 'gup', via: `${call.name}() with a P2P flag`, span: call.span };
        for (const arg of call.args.slice(1)) if (arg.kind === 'path') this.addDef({ path: arg.name!, strong: false, point: call, value: () => [taint] });
      }
      const exposed = roleOf(call.name, 'exposed-accessor');
      if (exposed?.out !== undefined) {
        const out = call.args.at(-1);
        if (out?.kind === 'path') this.addDef({ path: out.name!, strong: false, point: call, value: () => this.exposure(call.name) });
      }
      const summary = this.patch.summaries.get(call.name);
      if (summary) {
        for (const [i, v] of summary.writes) {
          const arg = call.args[i];
          if (arg?.kind === 'path') this.addDef({ path: arg.name!, strong: false, point: call, value: () => v.map((t) => ({ ...t, via: `${t.via} via ${call.name}()` })) });
        }
      }
    }
    for (const loop of loopsOf(fn)) {
      const it = roleOf(loop.name, 'entry-iterator');
      if (!it) continue;
      const list = loop.args[it.list];
      const entry = loop.args[it.entry];
      if (!list || entry?.kind !== 'path') continue;
      const point: Point = { span: loop.span, guards: [], loops: [] };
      this.addDef({
        path: entry.name!, strong: false, point, inLoop: loop.id, rhs: list,
        value: () => {
          const fromList = this.valuesAt(list, undefined).map((t) => ({ ...t, via: `${t.via} via ${loop.name}()` }));
          return it.over === 'request' ? [...fromList, ...this.exposure(loop.name)] : fromList;
        },
      });
    }
  }

  private exposure(what: string): Taint[] {
    const adv = this.patch.exposureOf(this.path);
    return adv ? [{ ...adv, via: `${what}() data of a driver that advertises P2P (${adv.via})` }] : [];
  }

  /** The definitions of `path` that reach `point` (all of them without a point). */
  private reaching(path: string, point: Point | undefined): Def[] {
    const defs = this.defs.get(path);
    if (!defs) return [];
    if (!point) return defs;
    const pos = position(point.span);
    const inLoops = new Set(point.loops.map((l) => l.id));
    const candidates = defs.filter((d) => {
      if (d.inLoop) return inLoops.has(d.inLoop);
      const sharesLoop = d.point.loops.some((l) => inLoops.has(l.id));
      if (!(d.pos < pos || (sharesLoop && d.pos !== pos))) return false;
      return !exclusive(d.point.guards, point.guards);
    });
    return candidates.filter((d) => !candidates.some((k) => k !== d && k.strong && !k.inLoop && k.pos > d.pos && k.pos < pos &&
      runsWhenever(k.point, point)));
  }

  /** Origins `e` holds at `point` (flow-insensitive without a point). */
  valuesAt(e: Expr, point: Point | undefined): Taint[] {
    if (this.patch.mayHold && !this.patch.mayHold.holds(this.fn, e)) return [];
    const key = `${point ? position(point.span) + ':' + point.guards.map((g) => g.id + g.positive).join(',') : '*'}|${e.text}`;
    const known = this.memo.get(key);
    if (known) return known;
    if (this.active.has(key)) return [];
    this.active.add(key);
    const out = dedupe(this.evaluate(e, point));
    this.active.delete(key);
    this.memo.set(key, out);
    return out;
  }

  private evaluate(e: Expr, point: Point | undefined): Taint[] {
    switch (e.kind) {
      case 'call': return this.callValue(e, point);
      case 'path': return this.pathValue(e, point);
      case 'binary':
        if (e.name === '+') return e.args.flatMap((a) => this.valuesAt(a, point));
        if (e.name === '-' && e.args[0]) return this.valuesAt(e.args[0], point);
        return [];
      default:
        return [];
    }
  }

  private callValue(e: Expr, point: Point | undefined): Taint[] {
    const name = e.name!;
    const source = roleOf(name, 'source');
    if (source && source.out === undefined) {
      const owner = source.device !== undefined && e.args[source.device]?.kind === 'path' ? e.args[source.device]!.name : undefined;
      if (TAINTED.has(source.produces) || source.produces === 'provider') {
        const origin: Origin = source.produces === 'p2pmem-va' || source.produces === 'p2p-sgl' || source.produces === 'p2p-page' || source.produces === 'provider' ? 'p2pmem' : 'bar';
        return [{ origin, via: `${name}()`, produces: source.produces, owner }];
      }
      if (source.produces === 'remap-of-arg' && e.args[0]) {
        const bar = this.valuesAt(e.args[0], point).find((t) => t.produces === 'bar-phys' || t.produces === 'bar-bus');
        return bar ? [{ origin: 'bar', via: `${name}() of ${bar.via}`, produces: 'bar-va', owner: bar.owner, span: bar.span }] : [];
      }
      return [];
    }
    const carrier = roleOf(name, 'carrier');
    if (carrier && e.args[carrier.from]) return this.valuesAt(e.args[carrier.from]!, point);
    const exposed = roleOf(name, 'exposed-accessor');
    if (exposed && exposed.out === undefined) return this.exposure(name);
    const summary = this.patch.summaries.get(name);
    if (summary) {
      const fromParams = [...summary.returnsParams].flatMap((i) => (e.args[i] ? this.valuesAt(e.args[i]!, point) : []));
      return [...summary.returns.map((t) => ({ ...t, via: `${t.via} via ${name}()` })), ...fromParams];
    }
    return [];
  }

  private pathValue(e: Expr, point: Point | undefined): Taint[] {
    const path = norm(e.name!);
    const defs = this.reaching(path, point);
    const out = defs.flatMap((d) => d.value());
    // weak definitions only (a writer filled it, a callee wrote through it): what it held before still counts
    const weakOnly = !!this.defs.get(path)?.every((d) => !d.strong);
    if (this.defs.has(path) && !weakOnly && point && !defs.length && !this.defs.get(path)!.some((d) => d.inLoop)) return out; // killed or not yet set
    if (!this.defs.has(path) || weakOnly) {
      // a container holds what its carrying fields hold (`sgt` after `sgt->sgl = pci_p2pmem_alloc_sgl()`)
      for (const sub of this.defs.keys()) {
        const field = sub.startsWith(`${path}.`) ? sub.slice(path.length + 1) : undefined;
        if (field && !field.includes('.') && roleOf(field, 'carrying-field')) out.push(...this.reaching(sub, point).flatMap((d) => d.value()));
      }
      const index = this.fn.params.findIndex((p) => p.name === path);
      if (index >= 0) out.push(...(this.patch.params.get(this.fn.name)?.get(index) ?? []).map((t) => ({ ...t, indirect: true })));
      const field = this.fieldLookup(path);
      if (field) {
        const { someOnly, ...t } = field;
        out.push({ ...t, via: `${e.text} (set from ${t.via}${someOnly ? ' on some paths' : ''})`, owner: rootOf(path), indirect: someOnly });
      }
      const resource = /^(.*)\.resource\.start$/.exec(path);
      if (resource && this.types.get(resource[1]!.split('.')[0]!) === 'struct pci_dev') {
        out.push({ origin: 'bar', via: e.text, produces: 'bar-phys', owner: resource[1] });
      }
    }
    const dot = path.lastIndexOf('.');
    if (dot > 0 && !out.length) {
      out.push(...this.pathValue({ ...e, name: path.slice(0, dot), text: e.text } as Expr, point).filter((t) => t.region));
    }
    if (dot > 0 && roleOf(path.slice(dot + 1), 'carrying-field')) {
      out.push(...this.pathValue({ ...e, name: path.slice(0, dot), text: e.text } as Expr, point));
    }
    if (!out.some(isT)) {
      const ev = this.evidence.get(path) ?? (dot > 0 && roleOf(path.slice(dot + 1), 'carrying-field') ? this.evidence.get(path.slice(0, dot)) : undefined);
      if (ev) out.push(ev);
    }
    return out;
  }

  trace<T>(e: Expr, point: Point | undefined, found: (x: Expr) => T | undefined, depth = 6): T | undefined {
    const hit = found(e);
    if (hit !== undefined || depth === 0) return hit;
    switch (e.kind) {
      case 'binary':
      case 'unary':
        for (const a of e.args) { const r = this.trace(a, point, found, depth - 1); if (r !== undefined) return r; }
        return undefined;
      case 'call': {
        const carrier = roleOf(e.name!, 'carrier');
        return carrier && e.args[carrier.from] ? this.trace(e.args[carrier.from]!, point, found, depth - 1) : undefined;
      }
      case 'path': {
        const path = norm(e.name!);
        for (const d of this.reaching(path, point)) {
          if (!d.rhs) continue;
          const r = this.trace(d.rhs, d.point, found, depth - 1);
          if (r !== undefined) return r;
        }
        // `bv.bv_page` of a local `bv = req_bvec(req)`: the container's definition tells
        const dot = path.lastIndexOf('.');
        if (dot > 0 && !this.defs.has(path) && roleOf(path.slice(dot + 1), 'carrying-field')) {
          for (const d of this.reaching(path.slice(0, dot), point)) {
            if (!d.rhs) continue;
            const r = this.trace(d.rhs, d.point, found, depth - 1);
            if (r !== undefined) return r;
          }
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }
}

/** `k` runs on every path that reaches `point`: each of its guards holds there, and it is in no loop `point` is not in. */
function runsWhenever(k: Point, point: Point): boolean {
  const inLoops = new Set(point.loops.map((l) => l.id));
  if (!k.loops.every((l) => inLoops.has(l.id))) return false;
  return k.guards.every((g) => point.guards.some((h) => h.id === g.id && h.positive === g.positive && (g.kind !== 'case' || h.labels?.join() === g.labels?.join())));
}

/** `e` holds `inner` (the same node) somewhere inside. */
function contains(e: Expr, inner: Expr): boolean {
  return e === inner || e.args.some((a) => contains(a, inner));
}

/** The wrapper's body with the call's arguments put in for the parameters. */
function bindParams(e: Expr, params: readonly string[], args: readonly Expr[]): Expr {
  if (e.kind === 'path') {
    const i = params.indexOf(e.name!.split('.')[0]!);
    if (i < 0 || !args[i]) return e;
    if (e.name === params[i]) return args[i]!;
    // `p->field` with p bound to an argument path: the argument's path with the field
    const arg = args[i]!;
    if (arg.kind !== 'path') return e;
    const name = arg.name + e.name!.slice(params[i]!.length);
    return { ...synthetic(e, 'path', name, []), paths: [name], text: e.text.replace(params[i]!, arg.text) };
  }
  if (!e.args.length) return e;
  const args2 = e.args.map((a) => bindParams(a, params, args));
  if (args2.every((a, i) => a === e.args[i])) return e;
  return synthetic(e, e.kind, e.name, args2);
}

/** Calls of wrappers inside an expression, replaced by what they stand for. */
/**
 * A function whose one statement stores one call's value into a field of a pointer parameter
 * (`ctx->buf = pci_alloc_p2pmem(pdev, len);`): at each call it is that store into the object the
 * caller passed, as a macro would be.
 */
function setterOf(fn: FunctionFacts): { params: string[]; body: Expr; calls: Expr[]; sets: { param: number; field: string } } | undefined {
  if (!fn.name || fn.assignments.length !== 1 || fn.returns.some((r) => r.value) || fn.ifs.length || fn.switches.length || fn.gotos.length) return undefined;
  const a = fn.assignments[0]!;
  const dot = a.lhs.indexOf('.');
  if (a.op !== '=' || a.declaration || dot <= 0 || a.lhs.includes('[')) return undefined;
  const param = fn.params.findIndex((p) => p.name === a.lhs.slice(0, dot));
  // through the pointer (`ctx->f`): a store into the caller's object, not into a copy
  if (param < 0 || !new RegExp(`^\\s*${a.lhs.slice(0, dot)}\\s*->`).test(a.lhsExpr.text)) return undefined;
  if (!fn.calls.length || fn.calls.some((c) => c.loops.length || c.name === fn.name || !contains(a.rhs, c.expr))) return undefined;
  const calls = outermostFirst(fn.calls);
  if (a.rhs.kind !== 'call' || calls[0] !== a.rhs && calls[0]!.text !== a.rhs.text) return undefined;
  return { params: fn.params.map((p) => p.name), body: a.rhs, calls, sets: { param, field: a.lhs.slice(dot + 1) } };
}

/** The call expressions of a wrapper body, the one that contains the others first (it takes the call site's place). */
function outermostFirst(calls: readonly Call[]): Expr[] {
  return calls.map((c) => c.expr).sort((a, b) => (contains(a, b) ? -1 : contains(b, a) ? 1 : 0));
}

/** `obj` or `&obj` passed for a struct pointer: the path of its field (`obj.f`), as written (`obj->f`). */
function fieldOfArg(arg: Expr | undefined, field: string): { path: string; text: string } | undefined {
  if (!arg) return undefined;
  if (arg.kind === 'path') return { path: `${arg.name}.${field}`, text: `${arg.text}->${field.replace(/\./g, '->')}` };
  if (arg.kind === 'unary' && arg.name === '&' && arg.args[0]?.kind === 'path') {
    return { path: `${arg.args[0].name}.${field}`, text: `${arg.args[0].text}.${field.replace(/\./g, '.')}` };
  }
  return undefined;
}

function inlineExpr(e: Expr, wrappers: ReadonlyMap<string, { params: string[]; body: Expr }>): Expr {
  if (e.kind === 'call') {
    const w = wrappers.get(e.name!);
    if (w) return withText(bindParams(w.body, w.params, e.args), e.text);
  }
  if (!e.args.length) {
    // an expression kept as text (`c ? a : b`): it mentions what the wrappers it calls stand for
    const bodies = e.callNames.flatMap((n) => { const w = wrappers.get(n); return w ? [w.body] : []; });
    if (!bodies.length || e.kind === 'call') return e;
    const merged: Expr = { text: e.text, kind: 'other', args: [], paths: bodies.flatMap((b) => b.paths), callNames: bodies.flatMap((b) => b.callNames), identifiers: bodies.flatMap((b) => b.identifiers) };
    return synthetic(e, e.kind, e.name, [], merged);
  }
  const args = e.args.map((a) => inlineExpr(a, wrappers));
  if (args.every((a, i) => a === e.args[i])) return e;
  return synthetic(e, e.kind, e.name, args);
}

function withText(e: Expr, text: string): Expr {
  return { text, kind: e.kind, name: e.name, args: e.args, paths: e.paths, callNames: e.callNames, identifiers: e.identifiers };
}

/** A comparison or a logical test (`ret < 0`, `!p`, `a && b`, `unlikely(rc)`): a value only a condition computes. */
function isCondition(e: Expr): boolean {
  if (e.kind === 'binary') return ['<', '>', '<=', '>=', '==', '!=', '&&', '||'].includes(e.name!);
  if (e.kind === 'unary') return e.name === '!';
  return e.kind === 'call' && (e.name === 'likely' || e.name === 'unlikely') && !!e.args[0] && isCondition(e.args[0]);
}

/** Something `a` read is assigned (or handed out by address) after it and before `until`, in the same function. */
function rewrittenBetween(fn: FunctionFacts, a: FunctionFacts['assignments'][number], until: number): boolean {
  const from = position(a.span);
  const between = (s: Span) => { const p = position(s); return p > from && p < until; };
  const reads = new Set(a.rhs.paths);
  return fn.assignments.some((b) => b !== a && between(b.span) && reads.has(b.lhs)) ||
    fn.calls.some((c) => between(c.span) && c.args.some((x) => x.kind === 'unary' && x.name === '&' && x.args[0]?.kind === 'path' && reads.has(x.args[0].name!)));
}

/** A condition a catalogue predicate decides: a page predicate, a map-type query or value, a capability, queue, bus-address, ZONE_DEVICE or dma_ops test. */
function isPredicate(e: Expr): boolean {
  return e.callNames.some((n) => rolesOf(n).some((r) => r.role === 'page-predicate' || r.role === 'map-type-query' ||
    r.role === 'capability-test' || r.role === 'queue-test' || r.role === 'bus-address-test' || r.role === 'zone-device-test' ||
    r.role === 'dma-ops-query')) || e.identifiers.some((i) => !!roleOf(i, 'map-type-value')) ||
    e.paths.some(isMapTypeField) || e.paths.some(isDmaOpsField);
}

/** `e` with leaves (calls, paths) replaced where `leaf` knows what they stand for; texts stay as written. */
function substitute(e: Expr, leaf: (x: Expr) => Expr | undefined, depth = 0): Expr {
  if (depth > 8) return e;
  if ((e.kind === 'unary' || e.kind === 'binary') && e.args.length) {
    const args = e.args.map((a) => substitute(a, leaf, depth + 1));
    if (args.every((a, i) => a === e.args[i])) return e;
    return synthetic(e, e.kind, e.name, args);
  }
  const r = e.kind === 'call' || e.kind === 'path' ? leaf(e) : undefined;
  if (!r) return e;
  const inner = substitute(r, () => undefined, depth + 1);
  return synthetic(e, inner.kind, inner.name, inner.args, inner);
}

/** An Expr with `like`'s text and the shape given; its mentions are both the original's and the resolved ones. */
function synthetic(like: Expr, kind: Expr['kind'], name: string | undefined, args: Expr[], resolved?: Expr): Expr {
  const uniq = (xs: string[]) => [...new Set(xs)];
  // the mentions are worked out when a rule asks (most inlined and resolved expressions are only
  // matched by shape); own enumerable getters, so a spread or a JSON copy still sees the values
  let paths: string[] | undefined;
  let callNames: string[] | undefined;
  let identifiers: string[] | undefined;
  return {
    text: like.text,
    kind,
    name,
    args,
    get paths() { return paths ??= uniq([...like.paths, ...(resolved?.paths ?? []), ...args.flatMap((a) => a.paths)]); },
    get callNames() { return callNames ??= uniq([...(resolved ? resolved.callNames : []), ...like.callNames, ...args.flatMap((a) => a.callNames)]); },
    get identifiers() { return identifiers ??= uniq([...like.identifiers, ...(resolved?.identifiers ?? []), ...args.flatMap((a) => a.identifiers)]); },
  };
}

function isNull(e: Expr | undefined): boolean {
  return !!e && (e.text === 'NULL' || e.text === '0');
}

function isT(t: Taint): boolean {
  return t.origin !== 'evidence';
}

function strongest(ts: readonly Taint[]): Taint | undefined {
  let best: Taint | undefined;
  for (const t of ts) if (!best || STRENGTH[t.origin] > STRENGTH[best.origin]) best = t;
  return best;
}

function dedupe(ts: Taint[]): Taint[] {
  const seen = new Set<string>();
  return ts.filter((t) => { const k = `${t.origin}|${t.via}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

function position(span: Span): number {
  const first = span.lines[0];
  return (first?.newLine ?? first?.oldLine ?? 0) * 1000 + span.column;
}

function rootOf(path: string): string {
  return path.split('.')[0]!;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * The object a field path names, keyed as the field store keys it: `struct foo#f` for `a.f` with
 * `a` declared `struct foo *` in `fn`; undefined for an undeclared or nested base.
 */
export function fieldObjectKey(fn: FunctionFacts, path: string): string | undefined {
  const segs = path.split('.');
  if (segs.length !== 2) return undefined;
  const declared = [...fn.params, ...(fn.locals ?? [])].find((p) => p.name === segs[0]);
  const type = declared ? typeKey(declared.type) : undefined;
  return type ? `${type}#${segs[1]}` : undefined;
}

/** `struct foo *const` → `struct foo`; scalars and typedef'd integers have no object identity here. */
export function typeKey(type: string): string | undefined {
  const t = type.replace(/\b(const|volatile|static|__iomem|__rcu|__user|__percpu|__force)\b/g, '').replace(/[*&]/g, ' ').replace(/\s+/g, ' ').trim();
  return /^(struct|union) \w+$/.test(t) ? t : undefined;
}

/** `sg_page(x)` → x, `virt_to_page(p)` → p, `bv.bv_page` → bv, a plain path → itself. */
function unwrapCarrier(e: Expr): string | undefined {
  if (e.kind === 'path') return norm(e.name!);
  const carrier = e.kind === 'call' ? roleOf(e.name!, 'carrier') : undefined;
  if (carrier && e.args[carrier.from]) return unwrapCarrier(e.args[carrier.from]!);
  return undefined;
}

/** The parts a value is computed from by arithmetic and conversions. */
function* valueParts(e: Expr): Generator<Expr> {
  yield e;
  if (e.kind === 'binary' || e.kind === 'unary') for (const a of e.args) yield* valueParts(a);
  else if (e.kind === 'call') {
    const carrier = roleOf(e.name!, 'carrier');
    if (carrier && e.args[carrier.from]) yield* valueParts(e.args[carrier.from]!);
  }
}

export type { Param };
