import type { Node } from 'web-tree-sitter';

/** Tree helpers shared by the transformations: statements, comments, declarations, free variables. */

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export function applyEdits(src: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = src;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) throw new Error(`overlapping edits at ${e.start}-${e.end}`);
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

export function overlaps(edits: readonly Edit[], start: number, end: number): boolean {
  return edits.some((e) => (e.start < end && start < e.end) || (e.start === e.end && e.start > start && e.start < end));
}

export const STATEMENTS = new Set([
  'expression_statement', 'declaration', 'return_statement', 'if_statement', 'switch_statement', 'for_statement',
  'while_statement', 'do_statement', 'goto_statement', 'break_statement', 'continue_statement', 'compound_statement',
  'labeled_statement',
]);

export function descendants(node: Node, type: string | string[]): Node[] {
  return node.descendantsOfType(type).filter((n): n is Node => n !== null);
}

export function named(node: Node): Node[] {
  return node.namedChildren.filter((n): n is Node => n !== null);
}

export function lineStart(src: string, index: number): number {
  return src.lastIndexOf('\n', index - 1) + 1;
}

export function lineEnd(src: string, index: number): number {
  const e = src.indexOf('\n', index);
  return e < 0 ? src.length : e;
}

/** Whitespace before the node on its line, or undefined when code precedes it there. */
export function indentOf(src: string, node: Node): string | undefined {
  const before = src.slice(lineStart(src, node.startIndex), node.startIndex);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

export function lineIndent(src: string, index: number): string {
  return /^[ \t]*/.exec(src.slice(lineStart(src, index)))![0];
}

/** Comments right above a statement (contiguous lines, each alone on its line). */
export function leadingComments(src: string, node: Node): Node[] {
  const out: Node[] = [];
  let cur: Node = node;
  for (let p = node.previousSibling; p && p.type === 'comment'; p = p.previousSibling) {
    if (p.endPosition.row < cur.startPosition.row - 1 || p.endPosition.row === cur.startPosition.row) break;
    if (indentOf(src, p) === undefined) break;
    out.unshift(p);
    cur = p;
  }
  return out;
}

/** Start of the line where a statement and its leading comments begin. */
export function leadStart(src: string, node: Node): number {
  const c = leadingComments(src, node);
  return lineStart(src, (c[0] ?? node).startIndex);
}

export function isCallee(id: Node): boolean {
  const p = id.parent;
  return !!p && p.type === 'call_expression' && p.childForFieldName('function')?.id === id.id;
}

export function calleeName(call: Node): string | undefined {
  const f = call.childForFieldName('function');
  return f?.type === 'identifier' ? f.text : undefined;
}

export const isConstantName = (s: string) => /^[A-Z_][A-Z0-9_]*$/.test(s);

export function enclosingFunction(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

export function statementAt(root: Node, src: string, row: number): Node | undefined {
  const lines = src.split('\n');
  const text = lines[row];
  if (text === undefined) return undefined;
  const col = text.search(/\S/);
  if (col < 0) return undefined;
  let n: Node | null = root.descendantForPosition({ row, column: col });
  let best: Node | undefined;
  for (; n; n = n.parent) {
    if (n.startPosition.row !== row) break;
    if (STATEMENTS.has(n.type) && n.type !== 'compound_statement') best = n;
  }
  return best;
}

/** The identifier a declarator declares (through pointers, arrays, parentheses, initialisers). */
export function declaredName(decl: Node): Node | undefined {
  let d: Node | null = decl;
  while (d) {
    if (d.type === 'identifier') return d;
    if (d.type === 'function_declarator') return undefined;
    if (d.type === 'init_declarator' || d.type === 'pointer_declarator' || d.type === 'array_declarator' || d.type === 'parenthesized_declarator') {
      d = d.childForFieldName('declarator') ?? d.namedChild(0);
      continue;
    }
    return undefined;
  }
  return undefined;
}

export interface VarDecl {
  name: string;
  /** Type text before the declarator, storage class removed: "struct page ". */
  prefix: string;
  /** The declarator without initialiser: "*buf", "pages[16]". */
  declarator: string;
  isArray: boolean;
  /** The declaring identifier node (not a use). */
  id: Node;
  param: boolean;
  /** A pointer to a struct, declared directly (`struct foo *ctx`). */
  structPointer: boolean;
}

export function declarationsOf(fn: Node, src: string): Map<string, VarDecl> {
  const out = new Map<string, VarDecl>();
  const add = (owner: Node, declarator: Node, param: boolean) => {
    const target = declarator.type === 'init_declarator' ? declarator.childForFieldName('declarator')! : declarator;
    const id = declaredName(target);
    if (!id || out.has(id.text)) return;
    const firstDecl = owner.childForFieldName('declarator') ?? declarator;
    const prefix = src.slice(owner.startIndex, firstDecl.startIndex).replace(/\b(static|register|extern|__maybe_unused)\b\s*/g, '').replace(/\s+/g, ' ');
    const typeNode = owner.childForFieldName('type');
    out.set(id.text, {
      name: id.text,
      prefix,
      declarator: target.text.replace(/\s+/g, ' '),
      isArray: target.type === 'array_declarator',
      id,
      param,
      structPointer: param && target.type === 'pointer_declarator' && target.childForFieldName('declarator')?.type === 'identifier' && typeNode?.type === 'struct_specifier',
    });
  };
  const fd = fn.childForFieldName('declarator');
  const params = fd ? descendants(fd, 'parameter_list')[0] : undefined;
  if (params) for (const p of named(params)) if (p.type === 'parameter_declaration') {
    const d = p.childForFieldName('declarator');
    if (d) add(p, d, true);
  }
  const body = fn.childForFieldName('body');
  if (body) for (const decl of descendants(body, 'declaration')) {
    for (const d of decl.childrenForFieldName('declarator')) if (d) add(decl, d, false);
  }
  return out;
}

/** A function made by the harness around a hunk fragment (its locals come from the hunk only). */
export const WRAPPER = '__meta_wrap';

export function isWrapper(fn: Node): boolean {
  return fn.childForFieldName('declarator')?.text.startsWith(WRAPPER) ?? false;
}

export interface FreeVar {
  name: string;
  param: string;
  byRef: boolean;
}

const UNKNOWN_TYPES = new Set(['true', 'false', 'NULL', 'current', 'jiffies']);

/**
 * Variables of the enclosing function that an expression reads or writes: the parameters a helper
 * extracted from it needs. Written ones (assignment, ++, address taken) are passed by pointer.
 * In a hunk fragment, names the fragment does not declare are passed as `void *`.
 */
export function freeVars(expr: Node, fn: Node, src: string): FreeVar[] | undefined {
  const decls = declarationsOf(fn, src);
  const wrapped = isWrapper(fn);
  const order: string[] = [];
  const byRef = new Set<string>();
  for (const id of [expr, ...descendants(expr, 'identifier')]) {
    if (id.type !== 'identifier' || isCallee(id) || isConstantName(id.text) || UNKNOWN_TYPES.has(id.text)) continue;
    const d = decls.get(id.text);
    if (!d && !wrapped) continue;
    if (!order.includes(id.text)) order.push(id.text);
    const p = id.parent;
    if (p && ((p.type === 'pointer_expression' && p.text.startsWith('&')) || (p.type === 'assignment_expression' && p.childForFieldName('left')?.id === id.id) || p.type === 'update_expression')) byRef.add(id.text);
  }
  const out: FreeVar[] = [];
  for (const name of order) {
    const d = decls.get(name);
    const ref = byRef.has(name);
    if (d && ref && d.isArray) return undefined;
    const base = d ? `${d.prefix}${d.declarator}` : `void *${name}`;
    const param = d ? (ref ? `${d.prefix}*${d.declarator}` : base) : (ref ? `void **${name}` : base);
    out.push({ name, param: param.replace(/\s+\*/g, ' *').replace(/\* /g, '*').trim(), byRef: ref });
  }
  return out;
}

/** The text of `node` with identifiers passed by pointer dereferenced (`x` → `(*x)`, `&x` → `x`). */
export function helperBody(node: Node, vars: readonly FreeVar[]): string {
  const ref = new Set(vars.filter((v) => v.byRef).map((v) => v.name));
  const edits: Edit[] = [];
  for (const id of [node, ...descendants(node, 'identifier')]) {
    if (id.type !== 'identifier' || !ref.has(id.text) || isCallee(id)) continue;
    const p = id.parent;
    if (p && p.type === 'pointer_expression' && p.text.startsWith('&') && p.id !== node.id && p.startIndex >= node.startIndex) edits.push({ start: p.startIndex - node.startIndex, end: p.endIndex - node.startIndex, text: id.text });
    else edits.push({ start: id.startIndex - node.startIndex, end: id.endIndex - node.startIndex, text: `(*${id.text})` });
  }
  // drop an identifier edit nested in a `&x` edit
  const keep = edits.filter((e) => !edits.some((o) => o !== e && o.start <= e.start && e.end <= o.end && (o.end - o.start) > (e.end - e.start)));
  return applyEdits(node.text, keep);
}

export function callArgs(vars: readonly FreeVar[]): string {
  return vars.map((v) => (v.byRef ? `&${v.name}` : v.name)).join(', ');
}

export function paramList(vars: readonly FreeVar[]): string {
  return vars.length === 0 ? 'void' : vars.map((v) => v.param).join(', ');
}

/** Outermost calls within `node` (not inside another call of it). */
export function outermostCalls(node: Node): Node[] {
  const calls = node.type === 'call_expression' ? [node] : descendants(node, 'call_expression');
  return calls.filter((c) => {
    for (let p = c.parent; p && p.id !== node.id; p = p.parent) if (p.type === 'call_expression') return false;
    return true;
  });
}

const SPARSE = /^(__user|__iomem|__rcu|__force|__percpu|__bitwise)$/;

export function countErrors(node: Node): number {
  let n = 0;
  const cursor = node.walk();
  const visit = (): void => {
    const cur = cursor.currentNode;
    // sparse's annotations (`void __iomem *p`) are unknown to tree-sitter-c: not an error of ours
    if ((cur.type === 'ERROR' && !SPARSE.test(cur.text)) || cur.isMissing) n++;
    if (cursor.gotoFirstChild()) {
      do visit(); while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  };
  visit();
  cursor.delete();
  return n;
}

/** Does the statement leave the enclosing block (return, goto, break, continue) when it runs? */
export function exits(stmt: Node | null): boolean {
  if (!stmt) return false;
  if (['return_statement', 'goto_statement', 'break_statement', 'continue_statement'].includes(stmt.type)) return true;
  if (stmt.type === 'compound_statement') {
    const kids = named(stmt).filter((k) => k.type !== 'comment');
    return exits(kids[kids.length - 1] ?? null);
  }
  return false;
}
