import type { SyntaxNode as Node } from '../c-parse/syntax-node.js';
import type { Expr, ExprKind } from './facts.js';

/**
 * Turns tree-sitter expressions into Exprs. Every node is converted once per tree (memoised by
 * node id), and the text and the "mentions" sets are computed only when a rule asks, so nested
 * calls cost linear time. Casts, parentheses, `&` and `*` are looked through for access paths:
 * `(void *)&iod->sg` and `iod->sg` both name `iod.sg`.
 */
export type ExprOf = (node: Node) => Expr;

export function exprBuilder(source: string): ExprOf {
  const memo = new Map<number, LazyExpr>();
  const build = (node: Node): LazyExpr => {
    const known = memo.get(node.id);
    if (known) return known;
    const parts = node.namedChildren.filter(isNode).filter((c) => c.type !== 'comment').map(build);
    const core = stripWrappers(node);
    const shape = shapeOf(core, build);
    const expr = new LazyExpr(source, node.startIndex, node.endIndex, shape.kind, shape.name, shape.args, parts, ownMentions(node));
    memo.set(node.id, expr);
    return expr;
  };
  return build;
}

interface Mentions {
  path?: string;
  callName?: string;
  identifier?: string;
}

export class LazyExpr implements Expr {
  private textCache?: string;
  private mentionCache?: { paths: string[]; callNames: string[]; identifiers: string[] };

  constructor(
    private readonly source: string,
    private readonly start: number,
    private readonly end: number,
    readonly kind: ExprKind,
    readonly name: string | undefined,
    readonly args: Expr[],
    private readonly parts: LazyExpr[],
    private readonly own: Mentions,
  ) {}

  get text(): string {
    this.textCache ??= compact(this.source.slice(this.start, this.end));
    return this.textCache;
  }

  get paths(): string[] { return this.mentions().paths; }
  get callNames(): string[] { return this.mentions().callNames; }
  get identifiers(): string[] { return this.mentions().identifiers; }

  private mentions() {
    if (this.mentionCache) return this.mentionCache;
    const paths = new Set<string>();
    const callNames: string[] = [];
    const identifiers = new Set<string>();
    const stack: LazyExpr[] = [this];
    while (stack.length) {
      const e = stack.pop()!;
      if (e.own.path !== undefined) paths.add(e.own.path);
      if (e.own.callName !== undefined) callNames.push(e.own.callName);
      if (e.own.identifier !== undefined) identifiers.add(e.own.identifier);
      for (let i = e.parts.length - 1; i >= 0; i--) stack.push(e.parts[i]!);
    }
    this.mentionCache = { paths: [...paths], callNames, identifiers: [...identifiers] };
    return this.mentionCache;
  }
}

function shapeOf(core: Node, build: (n: Node) => Expr): { kind: ExprKind; name?: string; args: Expr[] } {
  const path = accessPath(core);
  if (path !== undefined) return { kind: 'path', name: path, args: [] };
  switch (core.type) {
    case 'call_expression': {
      const fn = core.childForFieldName('function');
      const args = core.childForFieldName('arguments');
      return { kind: 'call', name: fn ? calleeName(fn) : '', args: args ? argumentNodes(args).map(build) : [] };
    }
    case 'unary_expression': {
      const operand = core.childForFieldName('argument');
      return { kind: 'unary', name: core.childForFieldName('operator')?.text ?? core.child(0)?.text, args: operand ? [build(operand)] : [] };
    }
    case 'binary_expression': {
      const operands = [core.childForFieldName('left'), core.childForFieldName('right')].filter(isNode);
      return { kind: 'binary', name: core.childForFieldName('operator')?.text, args: operands.map(build) };
    }
    case 'number_literal': return { kind: 'number', args: [] };
    case 'string_literal':
    case 'concatenated_string': return { kind: 'string', args: [] };
    default: return { kind: 'other', args: [] };
  }
}

function ownMentions(node: Node): Mentions {
  switch (node.type) {
    case 'identifier': return { path: node.text, identifier: node.text };
    case 'field_identifier': return { identifier: node.text };
    case 'field_expression': return { path: accessPath(node) };
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      return fn ? { callName: calleeName(fn) } : {};
    }
    default: return {};
  }
}

export function argumentNodes(argumentList: Node): Node[] {
  return argumentList.namedChildren.filter(isNode).filter((n) => n.type !== 'comment');
}

export function calleeName(fn: Node): string {
  const core = stripWrappers(fn);
  return accessPath(core) ?? compact(core.text);
}

/** Normalised access path of an lvalue-like expression, or undefined. */
export function accessPath(node: Node): string | undefined {
  const n = stripWrappers(node);
  switch (n.type) {
    case 'identifier':
    case 'field_identifier':
      return n.text;
    case 'field_expression': {
      const base = n.childForFieldName('argument');
      const field = n.childForFieldName('field');
      const left = base ? accessPath(base) : undefined;
      return left !== undefined && field ? `${left}.${field.text}` : undefined;
    }
    case 'subscript_expression': {
      const base = n.childForFieldName('argument');
      const index = n.childForFieldName('index') ?? n.namedChildren.filter(isNode)[1];
      const left = base ? accessPath(base) : undefined;
      if (left === undefined) return undefined;
      return index && index.type === 'number_literal' ? `${left}[${index.text}]` : `${left}[]`;
    }
    default:
      return undefined;
  }
}

/** Looks through parentheses, casts, `&` and `*`. */
export function stripWrappers(node: Node): Node {
  let n = node;
  for (;;) {
    const inner = n.type === 'cast_expression' ? n.childForFieldName('value')
      : n.type === 'pointer_expression' ? n.childForFieldName('argument')
        : n.type === 'parenthesized_expression' ? n.namedChildren.find((c) => c && c.type !== 'comment') ?? null
          : null;
    if (!inner) return n;
    n = inner;
  }
}

export function isNode(n: Node | null | undefined): n is Node {
  return !!n;
}

export function compact(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Guard atoms: the conjuncts known to hold when `expr` evaluates to `positive`. */
export function atoms(expr: Expr, positive: boolean): { expr: Expr; positive: boolean }[] {
  if (expr.kind === 'unary' && expr.name === '!' && expr.args[0]) return atoms(expr.args[0], !positive);
  if (expr.kind === 'binary' && expr.args.length === 2) {
    if ((expr.name === '&&' && positive) || (expr.name === '||' && !positive)) {
      return [...atoms(expr.args[0]!, positive), ...atoms(expr.args[1]!, positive)];
    }
  }
  return [{ expr, positive }];
}

/**
 * Leaves whose value alone decides `e` to be `value`: `a || b` is true when either is, `a && b`
 * false when either is false; `!x` flips. (atoms() gives the converse: what an arm implies.)
 */
export function sufficient(e: Expr, value: boolean): { expr: Expr; truth: boolean }[] {
  if (e.kind === 'unary' && e.name === '!' && e.args[0]) return sufficient(e.args[0], !value);
  if (e.kind === 'binary' && e.args.length === 2 && ((e.name === '||' && value) || (e.name === '&&' && !value))) {
    return [...sufficient(e.args[0]!, value), ...sufficient(e.args[1]!, value)];
  }
  return [{ expr: e, truth: value }];
}
