import type { Node } from 'web-tree-sitter';
import type { Expr, ExprKind } from './facts.js';

/**
 * Turns a tree-sitter expression into an Expr. Casts, parentheses, `&` and `*` are looked
 * through for access paths, so `(void *)&iod->sg` and `iod->sg` both name `iod.sg`.
 */
export function toExpr(node: Node): Expr {
  const acc = { paths: new Set<string>(), callNames: [] as string[], identifiers: new Set<string>() };
  collect(node, acc);
  const core = stripWrappers(node);
  const base = {
    text: compact(node.text),
    paths: [...acc.paths],
    callNames: acc.callNames,
    identifiers: [...acc.identifiers],
  };
  const path = accessPath(core);
  if (path !== undefined) return { ...base, kind: 'path', name: path, args: [] };
  switch (core.type) {
    case 'call_expression': {
      const fn = core.childForFieldName('function');
      const args = core.childForFieldName('arguments');
      return { ...base, kind: 'call', name: fn ? calleeName(fn) : '', args: args ? argumentsOf(args) : [] };
    }
    case 'unary_expression': {
      const operand = core.childForFieldName('argument');
      return { ...base, kind: 'unary', name: core.childForFieldName('operator')?.text ?? core.child(0)?.text, args: operand ? [toExpr(operand)] : [] };
    }
    case 'binary_expression': {
      const l = core.childForFieldName('left');
      const r = core.childForFieldName('right');
      return { ...base, kind: 'binary', name: core.childForFieldName('operator')?.text, args: [l, r].filter(isNode).map(toExpr) };
    }
    case 'number_literal':
      return { ...base, kind: 'number', args: [] };
    case 'string_literal':
    case 'concatenated_string':
      return { ...base, kind: 'string', args: [] };
    default:
      return { ...base, kind: 'other' as ExprKind, args: [] };
  }
}

export function argumentsOf(argumentList: Node): Expr[] {
  return argumentList.namedChildren.filter(isNode).filter((n) => n.type !== 'comment').map(toExpr);
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
    if (n.type === 'parenthesized_expression' || n.type === 'cast_expression' || n.type === 'pointer_expression') {
      const inner = n.type === 'cast_expression' ? n.childForFieldName('value')
        : n.type === 'pointer_expression' ? n.childForFieldName('argument')
          : n.namedChildren.filter(isNode).find((c) => c.type !== 'comment');
      if (!inner) return n;
      n = inner;
      continue;
    }
    return n;
  }
}

function collect(node: Node, acc: { paths: Set<string>; callNames: string[]; identifiers: Set<string> }): void {
  const path = node.type === 'field_expression' || node.type === 'identifier' ? accessPath(node) : undefined;
  if (path !== undefined) acc.paths.add(path);
  if (node.type === 'identifier' || node.type === 'field_identifier') acc.identifiers.add(node.text);
  if (node.type === 'call_expression') {
    const fn = node.childForFieldName('function');
    if (fn) acc.callNames.push(calleeName(fn));
  }
  if (node.type === 'field_expression') {
    // the base's own path is not a path of this expression, but its calls and identifiers are
    const base = node.childForFieldName('argument');
    if (base) collectInner(base, acc);
    const field = node.childForFieldName('field');
    if (field) acc.identifiers.add(field.text);
    return;
  }
  for (const child of node.namedChildren) if (child) collect(child, acc);
}

function collectInner(node: Node, acc: { paths: Set<string>; callNames: string[]; identifiers: Set<string> }): void {
  if (node.type === 'identifier') { acc.identifiers.add(node.text); return; }
  if (node.type === 'field_expression') {
    const base = node.childForFieldName('argument');
    if (base) collectInner(base, acc);
    const field = node.childForFieldName('field');
    if (field) acc.identifiers.add(field.text);
    return;
  }
  collect(node, acc);
}

export function isNode(n: Node | null | undefined): n is Node {
  return !!n;
}

export function compact(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Every path and identifier an expression reads, for matching against a set of names. */
export function mentions(expr: Expr, names: ReadonlySet<string>): boolean {
  return expr.paths.some((p) => names.has(p)) || expr.identifiers.some((i) => names.has(i));
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
