import type { Tree } from 'web-tree-sitter';
import { SyntaxNode, type SyntaxNode as Node } from '../c-parse/syntax-node.js';
import type { Fragment } from '../c-parse/fragment.js';
import type { DiffLine } from '../input/patch-model.js';
import { accessPath, exprBuilder, isNode, type ExprOf } from './expressions.js';
import type { Expr, FunctionFacts, Guard, Initializer, Loop, Span } from './facts.js';
import { isIteratorMacro } from './p2p-api.js';

/**
 * Walks one parsed fragment and records, per function, its calls, assignments, returns, gotos,
 * switches and struct initializers, each with the guards that dominate it (if/else arms, early
 * exits, switch arms) and the loops around it. Kernel code parses with ERROR nodes: iterator
 * macros (`for_each_sg(...) { }`) come out as a call statement followed by a block, and are
 * turned back into loops here.
 */
export interface ExtractResult {
  functions: FunctionFacts[];
  initializers: Initializer[];
  errorNodes: number;
}

export function extractFacts(tree: Tree, fragment: Fragment, fragmentId: string): ExtractResult {
  const walker = new Walker(fragment, fragmentId);
  // a view that asks WASM each question once per node (syntax-node.ts): the same answers, far fewer crossings
  walker.visitTop(SyntaxNode.root(tree.rootNode));
  return { functions: walker.functions, initializers: walker.fileInitializers, errorNodes: walker.errorNodes };
}

class Walker {
  readonly functions: FunctionFacts[] = [];
  readonly fileInitializers: Initializer[] = [];
  errorNodes = 0;
  private fn: FunctionFacts;
  private guards: Guard[] = [];
  private loops: Loop[] = [];
  private readonly toExpr: ExprOf;
  /** The pseudo-function of file scope: outside every function definition. */
  private readonly fileScope: FunctionFacts;

  constructor(private readonly fragment: Fragment, private readonly fragmentId: string) {
    this.fn = this.newFunction('', undefined);
    this.fileScope = this.fn;
    this.toExpr = exprBuilder(fragment.source);
  }

  visitTop(root: Node): void {
    this.countErrors(root);
    this.visitBlock(root.namedChildren.filter(isNode));
  }

  /**
   * A declaration at file scope (also inside `#ifdef` blocks there) is walked once: the view
   * forgets its nodes (syntax-node.ts release(), caches only), so memory is bounded by the largest one.
   */
  private walked(node: Node): void {
    if (this.fn === this.fileScope) node.release();
  }

  private countErrors(root: Node): void {
    if (!root.hasError) return;
    const stack: Node[] = [root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.isError || n.isMissing) this.errorNodes++;
      if (n.hasError) for (const c of n.children) if (c) stack.push(c);
    }
  }

  private newFunction(name: string, node: Node | undefined): FunctionFacts {
    const f: FunctionFacts = {
      name,
      span: node ? this.span(node) : { lines: [], column: 1 },
      params: [], locals: [], calls: [], assignments: [], returns: [], gotos: [], labels: [], switches: [], ifs: [],
      initializers: [],
    };
    this.functions.push(f);
    return f;
  }

  /** Visits statements in order; an early exit guards the statements after it. */
  private visitBlock(children: Node[]): void {
    const pushed = this.guards.length;
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const head = iteratorHead(child);
      if (head) {
        const loop = this.loopOf(head, 'iterator');
        this.visitExpr(head, false);
        const rest = restOfIterator(child, head);
        this.loops.push(loop);
        if (rest.length) rest.forEach((n) => this.visit(n));
        else {
          const next = nextStatement(children, i);
          if (next >= 0) { this.visit(children[next]!); i = next; }
        }
        this.loops.pop();
        this.walked(child);
        if (children[i] !== child) this.walked(children[i]!);
        continue;
      }
      this.visit(child);
      if (child.type === 'if_statement') {
        const exitGuard = this.earlyExit(child);
        if (exitGuard) this.guards.push(exitGuard);
      }
      this.walked(child);
    }
    this.guards.length = pushed;
  }

  private visit(node: Node): void {
    switch (node.type) {
      case 'function_definition': return this.visitFunction(node);
      case 'compound_statement': return this.visitBlock(node.namedChildren.filter(isNode));
      case 'if_statement': return this.visitIf(node);
      case 'switch_statement': return this.visitSwitch(node);
      case 'for_statement':
      case 'while_statement':
      case 'do_statement': return this.visitLoop(node);
      case 'return_statement': {
        const value = node.namedChildren.find((c) => c && c.type !== 'comment');
        this.fn.returns.push({ ...this.placed(node), value: value ? this.toExpr(value) : undefined });
        if (value) this.visitExpr(value, true);
        return;
      }
      case 'goto_statement': {
        const label = node.childForFieldName('label');
        if (label) this.fn.gotos.push({ ...this.placed(node), label: label.text });
        return;
      }
      case 'labeled_statement': {
        const label = node.childForFieldName('label');
        if (label) this.fn.labels.push({ name: label.text, span: this.span(node) });
        for (const c of node.namedChildren) if (c && c.id !== label?.id) this.visit(c);
        return;
      }
      case 'declaration': return this.visitDeclaration(node);
      case 'expression_statement':
        for (const c of node.namedChildren) if (c) this.visitExpr(c, false);
        return;
      case 'comment':
      case 'preproc_include':
      case 'preproc_def':
      case 'preproc_function_def':
        return;
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
      case 'translation_unit':
      case 'ERROR':
      case 'case_statement':
      case 'labeled_statement_body':
        return this.visitBlock(node.namedChildren.filter(isNode).filter((c) => !isPreprocCondition(node, c)));
      default:
        if (isExpressionNode(node)) return this.visitExpr(node, false);
        for (const c of node.namedChildren) if (c) this.visit(c);
    }
  }

  private visitFunction(node: Node): void {
    const declarator = node.childForFieldName('declarator');
    const { name, params } = functionHead(declarator);
    const outer = { fn: this.fn, guards: this.guards, loops: this.loops };
    this.fn = this.newFunction(name, node);
    this.fn.params = params;
    this.guards = [];
    this.loops = [];
    const body = node.childForFieldName('body');
    if (body) this.visit(body);
    ({ fn: this.fn, guards: this.guards, loops: this.loops } = outer);
  }

  private visitIf(node: Node): void {
    const condNode = node.childForFieldName('condition');
    const cons = node.childForFieldName('consequence');
    const alt = node.childForFieldName('alternative');
    if (!condNode) return;
    const id = this.idOf(node);
    const before = this.fn.calls.length;
    this.visitExpr(condNode, false);
    for (const call of this.fn.calls.slice(before)) call.conditionOf = id;
    const cond = this.toExpr(condNode);
    const span = this.span(node);
    this.fn.ifs.push({ id, kind: 'if', cond, positive: true, span });
    if (cons) this.withGuard({ id, kind: 'if', cond, positive: true, span }, () => this.visit(cons));
    if (alt) {
      const body = alt.type === 'else_clause' ? alt.namedChildren.filter(isNode) : [alt];
      this.withGuard({ id, kind: 'else', cond, positive: false, span }, () => body.forEach((b) => this.visit(b)));
    }
  }

  /** `if (c) return ...;` with no else: what follows runs only when c is false. */
  private earlyExit(node: Node): Guard | undefined {
    const condNode = node.childForFieldName('condition');
    const cons = node.childForFieldName('consequence');
    const alt = node.childForFieldName('alternative');
    if (!condNode || !cons) return undefined;
    const base = { id: this.idOf(node), kind: 'early-exit' as const, cond: this.toExpr(condNode), span: this.span(node) };
    if (!alt && alwaysExits(cons)) return { ...base, positive: false };
    if (alt && alwaysExits(alt) && !alwaysExits(cons)) return { ...base, positive: true };
    return undefined;
  }

  private visitSwitch(node: Node): void {
    const condNode = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    if (!condNode || !body) return;
    this.visitExpr(condNode, false);
    const subject = this.toExpr(condNode);
    const id = this.idOf(node);
    const sw = { ...this.placed(node), id, subject, arms: [] as { labels: string[]; span: Span }[] };
    this.fn.switches.push(sw);
    let labels: string[] = [];
    for (const c of body.namedChildren) {
      if (!c || c.type !== 'case_statement') { if (c) this.visit(c); continue; }
      const value = c.childForFieldName('value');
      labels.push(value ? value.text.trim() : 'default');
      const stmts = c.namedChildren.filter(isNode).filter((s) => s.id !== value?.id && s.type !== 'comment');
      if (stmts.length === 0) continue; // falls through to the next label
      const span = this.span(c);
      sw.arms.push({ labels, span });
      this.withGuard({ id, kind: 'case', cond: subject, positive: true, labels, span }, () => this.visitBlock(stmts));
      labels = [];
    }
  }

  private visitLoop(node: Node): void {
    const loop = this.loopOf(node, node.type === 'for_statement' ? 'for' : node.type === 'while_statement' ? 'while' : 'do');
    for (const field of ['initializer', 'condition', 'update']) {
      const part = node.childForFieldName(field);
      if (part) this.visitExpr(part, false);
    }
    const body = node.childForFieldName('body');
    this.loops.push(loop);
    if (body) this.visit(body);
    this.loops.pop();
  }

  private loopOf(node: Node, kind: Loop['kind']): Loop {
    if (kind === 'iterator') {
      const call = this.toExpr(node);
      return { id: this.idOf(node), kind, name: call.name ?? '', args: call.args, span: this.span(node) };
    }
    const header = ['initializer', 'condition', 'update'].map((f) => node.childForFieldName(f)).filter(isNode);
    return { id: this.idOf(node), kind, name: kind, args: header.map((h) => this.toExpr(h)), span: this.span(node) };
  }

  private visitDeclaration(node: Node): void {
    const type = declarationType(node);
    const baseType = node.childForFieldName('type')?.text ?? type;
    for (const d of node.namedChildren) {
      if (d && (d.type === 'identifier' || d.type === 'pointer_declarator' || d.type === 'array_declarator' || d.type === 'init_declarator')) {
        const declarator = d.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
        const local = declarator ? declaredName(declarator) : undefined;
        if (local && this.fn.name !== '') (this.fn.locals ??= []).push({ name: local, type: baseType });
      }
      if (!d || d.type !== 'init_declarator') continue;
      const declarator = d.childForFieldName('declarator');
      const value = d.childForFieldName('value');
      const name = declarator ? declaredName(declarator) : undefined;
      if (!name || !value) continue;
      if (value.type === 'initializer_list') {
        const init = this.initializer(type, name, value, d);
        (this.fn.name === '' ? this.fileInitializers : this.fn.initializers).push(init);
        continue;
      }
      this.visitExpr(value, false, name);
      this.fn.assignments.push({ ...this.placed(d), lhs: name, lhsExpr: this.toExpr(declarator!), op: '=', rhs: this.toExpr(value), declaration: true });
    }
  }

  private initializer(type: string, name: string, list: Node, at: Node): Initializer {
    const fields: Initializer['fields'] = [];
    for (const item of list.namedChildren) {
      if (!item) continue;
      if (item.type === 'initializer_pair') {
        const designator = item.childForFieldName('designator');
        const value = item.childForFieldName('value');
        if (!designator || !value) continue;
        fields.push({ field: designator.text.replace(/^\./, '').trim(), value: this.toExpr(value), span: this.span(item) });
        this.visitExpr(value, false);
      } else {
        this.visitExpr(item, false);
      }
    }
    return { type, name, fields, span: this.span(at) };
  }

  /** Records every call and assignment inside an expression. */
  private visitExpr(node: Node, returned: boolean, assignedTo?: string): void {
    type Item = { n: Node; returned: boolean; assignedTo?: string; guards: Guard[] };
    const stack: Item[] = [{ n: node, returned, assignedTo, guards: this.guards }];
    while (stack.length) {
      const { n, returned: ret, assignedTo: target, guards } = stack.pop()!;
      const push = (c: Node | null, more: Partial<Item> = {}) => { if (c) stack.push({ n: c, returned: false, guards, ...more }); };
      switch (n.type) {
        case 'call_expression': {
          const expr = this.toExpr(n);
          this.fn.calls.push({ ...this.placed(n, guards), name: expr.name ?? '', args: expr.args, expr, assignedTo: target, returned: ret });
          for (const a of n.childForFieldName('arguments')?.namedChildren ?? []) push(a);
          continue;
        }
        case 'assignment_expression': {
          const left = n.childForFieldName('left');
          const right = n.childForFieldName('right');
          const op = n.childForFieldName('operator')?.text ?? '=';
          const lhs = left ? accessPath(left) : undefined;
          if (left && right && lhs !== undefined) {
            this.fn.assignments.push({ ...this.placed(n, guards), lhs, lhsExpr: this.toExpr(left), op, rhs: this.toExpr(right) });
          }
          push(right, { assignedTo: lhs });
          if (lhs === undefined) push(left);
          continue;
        }
        case 'conditional_expression': {
          // `p ? use(p) : -ENOMEM`: each arm runs under the condition, as an if's arms do
          const condNode = n.childForFieldName('condition');
          push(condNode);
          if (!condNode) continue;
          const guard: Guard = { id: this.idOf(n), kind: 'ternary', cond: this.toExpr(condNode), positive: true, span: this.span(n) };
          this.fn.ifs.push(guard);
          push(n.childForFieldName('consequence'), { returned: ret, assignedTo: target, guards: [...guards, guard] });
          push(n.childForFieldName('alternative'), { returned: ret, assignedTo: target, guards: [...guards, { ...guard, positive: false }] });
          continue;
        }
        case 'initializer_list': {
          this.fn.initializers.push(this.initializer('', target ?? '', n, n));
          continue;
        }
        case 'parenthesized_expression':
        case 'cast_expression':
          for (const c of n.namedChildren) push(c, { returned: ret, assignedTo: target });
          continue;
        default:
          for (const c of n.namedChildren) push(c);
      }
    }
  }

  private withGuard(guard: Guard, body: () => void): void {
    this.guards.push(guard);
    try {
      body();
    } finally {
      this.guards.pop();
    }
  }

  private placed(node: Node, guards: Guard[] = this.guards) {
    return { span: this.span(node), guards: [...guards], loops: [...this.loops] };
  }

  private idOf(node: Node): string {
    return `${this.fragmentId}:${node.startIndex}`;
  }

  span(node: Node): Span {
    const rows = this.fragment.rows;
    const lines: DiffLine[] = [];
    for (let r = node.startPosition.row; r <= node.endPosition.row && r < rows.length; r++) {
      const line = rows[r];
      if (line) lines.push(line);
    }
    const startsOnWrapper = !rows[node.startPosition.row];
    return { lines, column: startsOnWrapper ? 1 : node.startPosition.column + 1 };
  }
}

function isPreprocCondition(parent: Node, child: Node): boolean {
  // tree-sitter hands out a new object per access: nodes compare by id
  return [parent.childForFieldName('condition'), parent.childForFieldName('name')].some((n) => n?.id === child.id);
}

const EXPRESSION_TYPES = new Set([
  'call_expression', 'assignment_expression', 'binary_expression', 'unary_expression', 'update_expression',
  'conditional_expression', 'comma_expression', 'cast_expression', 'parenthesized_expression', 'field_expression',
  'pointer_expression', 'subscript_expression',
]);

function isExpressionNode(node: Node): boolean {
  return EXPRESSION_TYPES.has(node.type);
}

/** A statement that starts with an iterator macro call (`for_each_sg(...)`), as tree-sitter leaves it. */
function iteratorHead(stmt: Node): Node | undefined {
  if (stmt.type !== 'expression_statement' && stmt.type !== 'ERROR') return undefined;
  let first = stmt.namedChildren.find((c) => c && c.type !== 'comment') ?? undefined;
  while (first && first.type === 'assignment_expression') first = first.childForFieldName('left') ?? undefined;
  if (!first || first.type !== 'call_expression') return undefined;
  const fn = first.childForFieldName('function');
  return fn && isIteratorMacro(fn.text) ? first : undefined;
}

/** What a merged iterator statement holds after its head (`for_each_sg(...)\n x = 1;`). */
function restOfIterator(stmt: Node, head: Node): Node[] {
  const rest: Node[] = [];
  const collect = (n: Node): void => {
    for (const c of n.namedChildren) {
      if (!c || c.equals(head) || c.type === 'comment') continue;
      if (c.startIndex >= head.endIndex) rest.push(c);
      else if (c.startIndex <= head.startIndex && c.endIndex >= head.endIndex) collect(c);
    }
  };
  collect(stmt);
  return rest;
}

function nextStatement(children: Node[], i: number): number {
  for (let j = i + 1; j < children.length; j++) if (children[j]!.type !== 'comment') return j;
  return -1;
}

function alwaysExits(node: Node): boolean {
  switch (node.type) {
    case 'return_statement':
    case 'goto_statement':
    case 'break_statement':
    case 'continue_statement':
      return true;
    case 'compound_statement': {
      const stmts = node.namedChildren.filter(isNode).filter((c) => c.type !== 'comment');
      const last = stmts.at(-1);
      return !!last && alwaysExits(last);
    }
    case 'else_clause': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return !!inner && alwaysExits(inner);
    }
    case 'if_statement': {
      const cons = node.childForFieldName('consequence');
      const alt = node.childForFieldName('alternative');
      return !!cons && !!alt && alwaysExits(cons) && alwaysExits(alt);
    }
    case 'expression_statement': {
      const call = node.namedChildren.find((c) => c?.type === 'call_expression');
      const name = call?.childForFieldName('function')?.text;
      return name === 'BUG' || name === 'panic';
    }
    default:
      return false;
  }
}

function functionHead(declarator: Node | null): { name: string; params: { name: string; type: string }[] } {
  let d = declarator;
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  if (!d) return { name: declarator ? declaredName(declarator) ?? '' : '', params: [] };
  const name = d.childForFieldName('declarator');
  const params = d.childForFieldName('parameters');
  return {
    name: name ? declaredName(name) ?? name.text : '',
    params: (params?.namedChildren ?? []).filter(isNode).filter((p) => p.type === 'parameter_declaration').map((p) => {
      const pd = p.childForFieldName('declarator');
      return { name: pd ? declaredName(pd) ?? '' : '', type: p.childForFieldName('type')?.text ?? '' };
    }),
  };
}

function declaredName(declarator: Node): string | undefined {
  let d: Node | null = declarator;
  while (d) {
    if (d.type === 'identifier' || d.type === 'field_identifier') return d.text;
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c?.type === 'identifier') ?? null;
  }
  return undefined;
}

function declarationType(node: Node): string {
  const parts: string[] = [];
  for (const c of node.children) {
    if (!c || c.type === 'init_declarator' || c.type === ';' || c.type === ',') continue;
    if (c.type === 'identifier' && parts.length > 0) continue;
    parts.push(c.text);
  }
  return parts.join(' ');
}

export type { Expr };
