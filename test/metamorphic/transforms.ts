import type { Node } from 'web-tree-sitter';
import {
  applyEdits, callArgs, calleeName, declarationsOf, descendants, enclosingFunction, exits, freeVars, helperBody, indentOf, isCallee,
  isConstantName, isWrapper, leadingComments, leadStart, lineEnd, lineIndent, named, outermostCalls, overlaps, paramList, statementAt,
  type Edit, type FreeVar,
} from './syntax.js';

/**
 * The metamorphic transformations: each rewrites one C chunk (a .c file, or the post-image of a
 * hunk wrapped in a function) through its tree-sitter parse tree and returns the edits. No edits:
 * the transformation does not apply to the chunk. Annotations (`ruleid:` comments) travel with the
 * statements they precede; where a finding may legitimately move (into a helper, onto a stored
 * predicate), the annotation gets a tag (`ruleid: R2 @m3`) and the other acceptable line carries
 * `/* @alt m3 *\/`.
 */

export interface Annotation {
  kind: 'ruleid' | 'ok';
  comment: Node;
}

export interface TopDef {
  /** Lines of the definition (a helper, a struct, a macro). */
  lines: string[];
  /** For a helper that may move to another file: its prototype, kept in the file that calls it. */
  proto?: string;
}

export interface Env {
  src: string;
  root: Node;
  rule: string;
  isPatch: boolean;
  /** Rows (of `src`) that the transformation may rewrite: added lines of a patch, every line of a .c file. */
  editableRow(row: number): boolean;
  fresh(prefix: string): string;
  tagNumber(): number;
  addTop(def: TopDef): void;
  /** Target row → annotations of the case's rule on it. */
  annotations: Map<number, Annotation[]>;
  /** Helpers go to a second file: not static. */
  secondFile: boolean;
  /** Tags already given to a row's ruleid annotations in this chunk. */
  rowTags: Map<number, string>;
  /** Identifier renames (for the pre-image of a patch). */
  renames: Map<string, string>;
}

export interface Transform {
  id: string;
  title: string;
  /** Helpers extracted by this transformation are placed in a second file of the patch. */
  secondFile?: boolean;
  /** Keeps the line structure (the patch's removed lines are renamed alike instead of re-diffed). */
  linePreserving?: boolean;
  run(env: Env): Edit[];
}

// ---------------------------------------------------------------------------------------------
// shared pieces

function editable(env: Env, node: Node): boolean {
  for (let r = node.startPosition.row; r <= node.endPosition.row; r++) if (!env.editableRow(r)) return false;
  return true;
}

function functions(env: Env): Node[] {
  return descendants(env.root, 'function_definition').filter((f) => f.childForFieldName('body'));
}

function ruleidAt(env: Env, row: number): Annotation[] {
  return (env.annotations.get(row) ?? []).filter((a) => a.kind === 'ruleid');
}

const RULEID = (rule: string) => new RegExp(`ruleid:\\s*${rule}(?:\\((?:error|warning|info)\\))?(?![\\w(])`);

/**
 * Tags the ruleid annotations of `row` (once per row and chunk) and returns the tag, or undefined
 * when the row carries none. The comment edits go to `edits`.
 */
function tagRow(env: Env, row: number, edits: Edit[]): string | undefined {
  const known = env.rowTags.get(row);
  if (known) return known;
  const anns = ruleidAt(env, row);
  if (anns.length === 0) return undefined;
  const tag = `m${env.tagNumber()}`;
  for (const a of anns) {
    const m = RULEID(env.rule).exec(a.comment.text);
    if (!m) continue;
    const at = a.comment.startIndex + m.index + m[0].length;
    edits.push({ start: at, end: at, text: ` @${tag}` });
  }
  env.rowTags.set(row, tag);
  return tag;
}

const alt = (tag: string | undefined) => (tag ? ` /* @alt ${tag} */` : '');

/** `text` with the alt marker at the end of its first line (where a finding on it is reported). */
function withAlt(text: string, tag: string | undefined): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? `${text}${alt(tag)}` : `${text.slice(0, nl)}${alt(tag)}${text.slice(nl)}`;
}

/** Tagged text of a comment (for comments that a transformation moves itself). */
function taggedComment(env: Env, comment: Node, tag: string | undefined): string {
  if (!tag) return comment.text;
  const m = RULEID(env.rule).exec(comment.text);
  if (!m) return comment.text;
  const at = m.index + m[0].length;
  return `${comment.text.slice(0, at)} @${tag}${comment.text.slice(at)}`;
}

const RETURN_TYPES: [RegExp, string][] = [
  [/^(dma_map_(single|page|resource|phys|bvec)|ib_dma_map_(single|page|bvec)|pci_p2pdma_bus_addr_map|dma_map_(single|page)_attrs|pci_bus_address|pci_resource_start|sg_phys|page_to_phys|virt_to_phys|pci_p2pmem_virt_to_bus)$/, 'dma_addr_t'],
  [/^(pci_alloc_p2pmem|pci_iomap\w*|pcim_iomap\w*|ioremap\w*|devm_ioremap\w*|devm_platform_ioremap_resource|pci_ioremap\w*|page_address|sg_virt|kmap\w*|phys_to_virt|bvec_virt)$/, 'void *'],
  [/^(sg_page|virt_to_page|pfn_to_page|phys_to_page|nth_page|bio_first_page_all)$/, 'struct page *'],
  [/^(pci_p2pmem_alloc_sgl)$/, 'struct scatterlist *'],
  [/^(pci_p2pdma_state|pci_p2pdma_map_type)$/, 'enum pci_p2pdma_map_type'],
  [/^(is_|dma_pci_p2pdma_supported|blk_queue_pci_p2pdma|zone_device_pages_have_same_pgmap|pci_has_p2pmem)/, 'bool'],
];

function returnType(call: Node): string {
  const name = calleeName(call) ?? '';
  for (const [re, t] of RETURN_TYPES) if (re.test(name)) return t;
  return 'long';
}

function helperLines(env: Env, ret: string, name: string, vars: readonly FreeVar[], body: string): TopDef {
  const storage = env.secondFile ? '' : 'static ';
  const sig = `${ret}${ret.endsWith('*') ? '' : ' '}${name}(${paramList(vars)})`;
  return { lines: [`${storage}${sig}`, '{', ...body.split('\n').map((l) => `\t${l}`), '}', ''], proto: `${sig};` };
}

/**
 * Moves `expr` into a new helper of the file and calls it in its place. `tagAtRow`: the row whose
 * ruleid annotation may then be reported inside the helper instead.
 */
function extract(env: Env, expr: Node, ret: string, kind: string, edits: Edit[], tagAtRow: number | undefined, statement = false): boolean {
  const fn = enclosingFunction(expr);
  if (!fn || !editable(env, expr) || overlaps(edits, expr.startIndex, expr.endIndex)) return false;
  if (descendants(expr, 'comment').length > 0) return false;
  const vars = freeVars(expr, fn, env.src);
  if (!vars) return false;
  const local: Edit[] = [];
  const tag = tagAtRow === undefined ? undefined : tagRow(env, tagAtRow, local);
  const name = env.fresh(`meta_${kind}`);
  const body = helperBody(expr, vars);
  const stmt = withAlt(statement ? `${body};` : `return ${body};`, tag);
  env.addTop(helperLines(env, statement ? 'void' : ret, name, vars, stmt));
  edits.push(...local, { start: expr.startIndex, end: expr.endIndex, text: `${name}(${callArgs(vars)})` });
  return true;
}

/** Statements annotated for the case's rule (ruleid and/or ok). */
function annotatedStatements(env: Env, kinds: readonly ('ruleid' | 'ok')[]): Node[] {
  const out: Node[] = [];
  for (const [row, anns] of env.annotations) {
    if (!anns.some((a) => kinds.includes(a.kind))) continue;
    const s = statementAt(env.root, env.src, row);
    if (s && !out.some((o) => o.id === s.id)) out.push(s);
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

/** The statements directly in the arms of an if (not else-if chains). */
function armStatements(ifs: Node): Node[] {
  const out: Node[] = [];
  const take = (s: Node | null) => {
    if (!s) return;
    if (s.type === 'compound_statement') out.push(...named(s).filter((k) => ['expression_statement', 'declaration', 'return_statement'].includes(k.type)));
    else if (['expression_statement', 'return_statement'].includes(s.type)) out.push(s);
  };
  take(ifs.childForFieldName('consequence'));
  const alt = ifs.childForFieldName('alternative');
  if (alt) take(named(alt).find((k) => k.type !== 'comment') ?? null);
  return out;
}

function conditionOf(stmt: Node): Node | undefined {
  const c = stmt.childForFieldName('condition');
  if (!c) return undefined;
  return c.type === 'parenthesized_expression' ? (named(c).find((k) => k.type !== 'comment') ?? undefined) : c;
}

/** Calls a statement makes at its own level: the condition's for if/switch/while, all for others. */
function statementCalls(stmt: Node): Node[] {
  if (['if_statement', 'switch_statement', 'while_statement'].includes(stmt.type)) {
    const c = conditionOf(stmt);
    return c ? outermostCalls(c) : [];
  }
  if (['expression_statement', 'declaration', 'return_statement'].includes(stmt.type)) return outermostCalls(stmt);
  return [];
}

const usableCall = (call: Node) => {
  const name = calleeName(call);
  return !!name && !isConstantName(name) && !['likely', 'unlikely', 'sizeof'].includes(name) && descendants(call, 'comment').length === 0;
};

// ---------------------------------------------------------------------------------------------
// 1. rename every local and parameter

const rename: Transform = {
  id: 'rename',
  title: 'rename locals and parameters',
  linePreserving: true,
  run(env) {
    const edits: Edit[] = [];
    for (const fn of functions(env)) {
      const decls = declarationsOf(fn, env.src);
      // a hunk's parameters come from git's function context, which stays as it is
      if (isWrapper(fn)) for (const [name, d] of decls) if (d.param) decls.delete(name);
      for (const name of decls.keys()) if (!env.renames.has(name)) env.renames.set(name, env.fresh('lv'));
      const body = fn.childForFieldName('body')!;
      const ids = [...descendants(fn.childForFieldName('declarator')!, 'identifier'), ...descendants(body, 'identifier')];
      for (const id of ids) {
        if (!decls.has(id.text) || isCallee(id)) continue;
        edits.push({ start: id.startIndex, end: id.endIndex, text: env.renames.get(id.text)! });
      }
    }
    return edits;
  },
};

// 2. the P2P source moves into a struct field filled by another function

const SOURCES = new Set([
  'pci_alloc_p2pmem', 'pci_p2pmem_alloc_sgl', 'pci_p2pmem_virt_to_bus', 'pcim_p2pdma_provider', 'pci_resource_start', 'pci_bus_address',
  'pci_iomap', 'pci_iomap_range', 'pci_iomap_wc', 'pcim_iomap', 'pcim_iomap_region', 'pcim_iomap_range', 'ioremap', 'ioremap_wc',
  'ioremap_uc', 'ioremap_cache', 'devm_ioremap', 'devm_ioremap_wc', 'devm_ioremap_resource', 'pci_ioremap_bar', 'pci_ioremap_wc_bar',
  'pci_p2pmem_find', 'pci_p2pmem_find_many',
]);

const fieldSource: Transform = {
  id: 'field-src',
  title: 'P2P source in a struct field filled by another function',
  run(env) {
    const edits: Edit[] = [];
    for (const fn of functions(env)) {
      const decls = declarationsOf(fn, env.src);
      for (const call of descendants(fn, 'call_expression')) {
        if (!SOURCES.has(calleeName(call) ?? '')) continue;
        // `x = SRC(...);` or `T x = SRC(...);`, directly in a block
        const p = call.parent;
        let site: Node | undefined;
        let name: string | undefined;
        if (p?.type === 'assignment_expression' && p.text.includes('=') && p.childForFieldName('right')?.id === call.id && p.childForFieldName('left')?.type === 'identifier' && p.parent?.type === 'expression_statement' && !/^[^=]*[+\-|&*/^]=/.test(p.text)) {
          name = p.childForFieldName('left')!.text;
          site = p.parent;
        } else if (p?.type === 'init_declarator' && p.childForFieldName('value')?.id === call.id && p.parent?.type === 'declaration' && p.parent.childrenForFieldName('declarator').length === 1) {
          const id = p.childForFieldName('declarator');
          name = id?.type === 'identifier' ? id.text : id?.type === 'pointer_declarator' ? id.childForFieldName('declarator')?.text : undefined;
          site = p.parent;
        }
        if (!site || !name || site.parent?.type !== 'compound_statement' || indentOf(env.src, site) === undefined) continue;
        const d = decls.get(name);
        if (!d || d.param || d.isArray || !editable(env, site) || overlaps(edits, leadStart(env.src, site), site.endIndex)) continue;
        const block = site.parent;
        const uses = descendants(fn, 'identifier').filter((id) => id.text === name && id.id !== d.id.id && !isCallee(id) && !(id.startIndex >= site!.startIndex && id.endIndex <= site!.endIndex));
        if (uses.some((u) => u.startIndex < site!.startIndex || u.endIndex > block.endIndex || !env.editableRow(u.startPosition.row))) continue;
        const vars = freeVars(call, fn, env.src);
        if (!vars || descendants(call, 'comment').length > 0) continue;
        const n = env.tagNumber();
        const ctx = `mctx${n}`;
        const local: Edit[] = [];
        const tag = tagRow(env, site.startPosition.row, local);
        const field = `${d.prefix}${d.declarator}`.replace(/\s+\*/g, ' *').replace(/\* /g, '*').trim();
        const argVars = [{ name: 'ctx', param: `struct meta_ctx${n} *ctx`, byRef: false }, ...vars];
        env.addTop({ lines: [`struct meta_ctx${n} {`, `\t${field};`, '};', '', `static struct meta_ctx${n} meta_ctx${n}_store;`, ''] });
        env.addTop({ lines: [`static void meta_fill${n}(${paramList(argVars)})`, '{', withAlt(`\tctx->${name} = ${helperBody(call, vars)};`, tag), '}', ''] });
        const indent = indentOf(env.src, site)!;
        local.push({ start: leadStart(env.src, site), end: leadStart(env.src, site), text: `${indent}struct meta_ctx${n} *${ctx} = &meta_ctx${n}_store;\n` });
        local.push({ start: site.startIndex, end: site.endIndex, text: `meta_fill${n}(${[ctx, callArgs(vars)].filter(Boolean).join(', ')});` });
        for (const u of uses) local.push({ start: u.startIndex, end: u.endIndex, text: `${ctx}->${name}` });
        if (local.some((e) => overlaps(edits, e.start, e.end))) continue;
        edits.push(...local);
      }
    }
    return edits;
  },
};

// 3. extract the decision or the mapping call into a static helper

function decisionSites(env: Env): { expr: Node; ret: string; row: number }[] {
  const out: { expr: Node; ret: string; row: number }[] = [];
  for (const fn of functions(env)) {
    for (const s of descendants(fn, ['if_statement', 'switch_statement', 'conditional_expression'])) {
      const c = conditionOf(s);
      if (!c || outermostCalls(c).length === 0) continue;
      const row = s.type === 'conditional_expression' ? (statementOf(s)?.startPosition.row ?? s.startPosition.row) : s.startPosition.row;
      const ret = s.type === 'switch_statement' ? (outermostCalls(c).length === 1 && c.type === 'call_expression' ? returnType(c) : 'int') : 'bool';
      out.push({ expr: c, ret: ret === 'long' ? 'int' : ret, row });
    }
  }
  return out;
}

function statementOf(node: Node): Node | undefined {
  for (let p: Node | null = node; p; p = p.parent) if (['expression_statement', 'declaration', 'return_statement', 'if_statement'].includes(p.type)) return p;
  return undefined;
}

function extractDecisions(env: Env, edits: Edit[]): void {
  for (const s of decisionSites(env)) extract(env, s.expr, s.ret, 'decide', edits, s.row);
}

function extractCalls(env: Env, edits: Edit[], kinds: readonly ('ruleid' | 'ok')[]): void {
  for (const stmt of annotatedStatements(env, kinds)) {
    const targets = stmt.type === 'if_statement' ? armStatements(stmt) : ['expression_statement', 'declaration', 'return_statement'].includes(stmt.type) ? [stmt] : [];
    for (const t of targets) {
      for (const call of outermostCalls(t)) {
        if (!usableCall(call)) continue;
        const asStatement = call.parent?.type === 'expression_statement';
        extract(env, call, returnType(call), 'call', edits, t.startPosition.row, asStatement);
      }
    }
  }
}

const extractDecision: Transform = {
  id: 'helper-dec',
  title: 'decision extracted into a static helper',
  run(env) {
    const edits: Edit[] = [];
    extractDecisions(env, edits);
    return edits;
  },
};

const extractCall: Transform = {
  id: 'helper-call',
  title: 'annotated call extracted into a static helper',
  run(env) {
    const edits: Edit[] = [];
    extractCalls(env, edits, ['ruleid']);
    return edits;
  },
};

// 4. the helpers in a second file of the patch

const secondFile: Transform = {
  id: '2nd-file',
  title: 'decision and call helpers in a second file of the patch',
  secondFile: true,
  run(env) {
    const edits: Edit[] = [];
    extractCalls(env, edits, ['ruleid']);
    extractDecisions(env, edits);
    return edits;
  },
};

// guard in the caller: the quiet (ok) call moves into a helper; its guard stays where it was

const guardToCaller: Transform = {
  id: 'guard-caller',
  title: 'ok call moved into a callee, its guard stays in the caller',
  run(env) {
    const edits: Edit[] = [];
    extractCalls(env, edits, ['ok']);
    return edits;
  },
};

// 5. the predicate stored in a local or a struct flag and tested later

/** What to store: the call the condition evaluates first, else the whole condition. */
function storedPart(cond: Node): Node | undefined {
  let n: Node | undefined = cond;
  while (n) {
    if (n.type === 'call_expression') return n;
    if (n.type === 'parenthesized_expression') n = named(n)[0];
    else if (n.type === 'unary_expression' && n.text.startsWith('!')) n = n.childForFieldName('argument') ?? undefined;
    else if (n.type === 'binary_expression') n = n.childForFieldName('left') ?? undefined;
    else break;
  }
  return outermostCalls(cond).length > 0 ? cond : undefined;
}

function storePredicates(env: Env, flag: boolean): Edit[] {
  const edits: Edit[] = [];
  for (const fn of functions(env)) {
    const base = [...declarationsOf(fn, env.src).values()].find((d) => d.structPointer);
    if (flag && !base) continue;
    for (const s of descendants(fn, ['if_statement', 'switch_statement'])) {
      if (s.parent?.type !== 'compound_statement' || indentOf(env.src, s) === undefined) continue;
      // the body of a brace-less iterator macro (`for_each_sg(...)` then the statement): a statement
      // put in front of it would take its place in the loop
      let prev = s.previousNamedSibling;
      while (prev?.type === 'comment') prev = prev.previousNamedSibling;
      if (prev && /\)\s*$/.test(prev.text.replace(/(\/\*[^]*?\*\/|\/\/[^\n]*|\s)+$/, ''))) continue;
      const cond = conditionOf(s);
      const part = cond && storedPart(cond);
      if (!part || !editable(env, part) || descendants(part, 'comment').length > 0) continue;
      const start = leadStart(env.src, s);
      if (overlaps(edits, start, s.endIndex)) continue;
      const callee = part.type === 'call_expression' ? calleeName(part) ?? '' : '';
      const type = /^(pci_p2pdma_state|pci_p2pdma_map_type)$/.test(callee) ? 'enum pci_p2pdma_map_type'
        : s.type === 'switch_statement' || (part.parent?.type === 'binary_expression' && !/^(&&|\|\|)$/.test(part.parent.childForFieldName('operator')?.text ?? '')) ? 'int' : 'bool';
      const local: Edit[] = [];
      const tag = tagRow(env, s.startPosition.row, local);
      const indent = indentOf(env.src, s)!;
      const n = env.tagNumber();
      const name = flag ? `${base!.name}->meta_flag${n}` : `pred${n}`;
      const decl = flag ? `${name} = ${part.text};` : `${type} ${name} = ${part.text};`;
      local.push({ start, end: start, text: `${withAlt(`${indent}${decl}`, tag)}\n` });
      local.push({ start: part.startIndex, end: part.endIndex, text: name });
      edits.push(...local);
    }
  }
  return edits;
}

const storedLocal: Transform = {
  id: 'pred-local',
  title: 'predicate stored in a local, tested later',
  run: (env) => storePredicates(env, false),
};

const storedFlag: Transform = {
  id: 'pred-flag',
  title: 'predicate stored in a struct flag, tested later',
  run: (env) => storePredicates(env, true),
};

// 6. if into ternary, ternary into if

function singleArm(s: Node | null): Node | undefined {
  if (!s) return undefined;
  if (s.type === 'compound_statement') {
    const kids = named(s).filter((k) => k.type !== 'comment');
    return kids.length === 1 ? singleArm(kids[0]) : undefined;
  }
  if (s.type === 'expression_statement' || s.type === 'return_statement') return s;
  return undefined;
}

function plainAssignment(s: Node): Node | undefined {
  const e = named(s)[0];
  if (e?.type !== 'assignment_expression') return undefined;
  const op = e.childForFieldName('operator')?.text ?? e.text.slice(e.childForFieldName('left')!.endIndex - e.startIndex).trim().slice(0, 1);
  return op === '=' ? e : undefined;
}

function assignmentOperator(e: Node): string {
  const left = e.childForFieldName('left')!;
  const right = e.childForFieldName('right')!;
  return e.text.slice(left.endIndex - e.startIndex, right.startIndex - e.startIndex).trim();
}

function ifToTernary(env: Env, s: Node, edits: Edit[]): void {
  const altClause = s.childForFieldName('alternative');
  if (!altClause || s.parent?.type === 'else_clause' || indentOf(env.src, s) === undefined || !editable(env, s)) return;
  const elseStmt = named(altClause).filter((k) => k.type !== 'comment');
  if (elseStmt.length !== 1 || elseStmt[0].type === 'if_statement') return;
  const a = singleArm(s.childForFieldName('consequence'));
  const b = singleArm(elseStmt[0]);
  const cond = conditionOf(s);
  if (!a || !b || !cond || a.type !== b.type) return;
  let head: string;
  let va: Node;
  let vb: Node;
  if (a.type === 'return_statement') {
    const ra = named(a)[0];
    const rb = named(b)[0];
    if (!ra || !rb) return;
    head = 'return';
    va = ra;
    vb = rb;
  } else {
    const ea = plainAssignment(a);
    const eb = plainAssignment(b);
    if (!ea || !eb || assignmentOperator(ea) !== '=' || assignmentOperator(eb) !== '=' || ea.childForFieldName('left')!.text !== eb.childForFieldName('left')!.text) return;
    head = `${ea.childForFieldName('left')!.text} =`;
    va = ea.childForFieldName('right')!;
    vb = eb.childForFieldName('right')!;
  }
  // every comment inside the if must lead one of the two arms
  const comments = descendants(s, 'comment');
  const before = (n: Node) => comments.filter((c) => c.startIndex > cond.endIndex && c.endIndex <= n.startIndex && (n === a ? true : c.startIndex > a.endIndex));
  const ca = before(a);
  const cb = before(b);
  if (ca.length + cb.length !== comments.length) return;
  if (descendants(cond, 'comment').length > 0) return;
  const indent = indentOf(env.src, s)!;
  const local: Edit[] = [];
  const rowA = a.startPosition.row;
  const rowB = b.startPosition.row;
  const tagA = ruleidAt(env, rowA).length ? `m${env.tagNumber()}` : undefined;
  const tagB = ruleidAt(env, rowB).length ? `m${env.tagNumber()}` : undefined;
  const tags = [tagA, tagB].filter(Boolean) as string[];
  const inner = `\t${indent}`;
  const lines = [
    `${head} ${cond.text} ?${tags.map((t) => alt(t)).join('')}`,
    ...ca.map((c) => `${inner}${taggedComment(env, c, tagA)}`),
    `${inner}${va.text} :`,
    ...cb.map((c) => `${inner}${taggedComment(env, c, tagB)}`),
    `${inner}${vb.text};`,
  ];
  if (overlaps(edits, s.startIndex, s.endIndex)) return;
  local.push({ start: s.startIndex, end: s.endIndex, text: lines.join('\n') });
  edits.push(...local);
}

function unparen(n: Node): Node {
  return n.type === 'parenthesized_expression' && named(n).length === 1 ? unparen(named(n)[0]) : n;
}

function ternaryToIf(env: Env, s: Node, edits: Edit[]): void {
  if (indentOf(env.src, s) === undefined || !editable(env, s) || descendants(s, 'comment').length > 0) return;
  const indent = indentOf(env.src, s)!;
  let lhs: string;
  let tern: Node | undefined;
  let declLine = '';
  if (s.type === 'return_statement') {
    const v = named(s)[0];
    tern = v && unparen(v);
    lhs = 'return ';
  } else if (s.type === 'expression_statement') {
    const e = plainAssignment(s);
    if (!e || assignmentOperator(e) !== '=') return;
    tern = unparen(e.childForFieldName('right')!);
    lhs = `${e.childForFieldName('left')!.text} = `;
  } else if (s.type === 'declaration') {
    const ds = s.childrenForFieldName('declarator');
    if (ds.length !== 1 || ds[0]?.type !== 'init_declarator' || s.parent?.type !== 'compound_statement') return;
    const init = ds[0];
    const v = init.childForFieldName('value');
    const target = init.childForFieldName('declarator')!;
    const id = target.type === 'identifier' ? target : target.type === 'pointer_declarator' ? target.childForFieldName('declarator') : null;
    if (!v || id?.type !== 'identifier') return;
    tern = unparen(v);
    lhs = `${id.text} = `;
    declLine = `${env.src.slice(s.startIndex, init.startIndex)}${target.text};\n${indent}`;
  } else return;
  if (!tern || tern.type !== 'conditional_expression') return;
  const c = tern.childForFieldName('condition');
  const a = tern.childForFieldName('consequence');
  const b = tern.childForFieldName('alternative');
  if (!c || !a || !b || overlaps(edits, s.startIndex, s.endIndex)) return;
  const local: Edit[] = [];
  const tag = tagRow(env, s.startPosition.row, local);
  const cond = c.type === 'parenthesized_expression' ? c.text : `(${c.text})`;
  // a declaration split off: the decision is now the if on the next line
  const text = `${declLine}if ${cond}${declLine ? alt(tag) : ''}\n${indent}\t${lhs}${a.text};${alt(tag)}\n${indent}else\n${indent}\t${lhs}${b.text};${alt(tag)}`;
  const wrap = s.parent?.type !== 'compound_statement' && s.parent?.type !== 'case_statement';
  local.push({ start: s.startIndex, end: s.endIndex, text: wrap ? `{\n${indent}${text.replace(/\n/g, '\n\t')}\n${indent}}` : text });
  edits.push(...local);
}

const ifTernary: Transform = {
  id: 'if<->?:',
  title: 'if into ternary and ternary into if',
  run(env) {
    const edits: Edit[] = [];
    for (const fn of functions(env)) {
      for (const s of descendants(fn, 'if_statement')) ifToTernary(env, s, edits);
      for (const s of descendants(fn, ['expression_statement', 'return_statement', 'declaration'])) ternaryToIf(env, s, edits);
    }
    return edits;
  },
};

// 7. an unrelated term in a condition

const PATH_RULES = new Set(['R6', 'R13', 'R14']);

const extraTerm: Transform = {
  id: 'extra-&&',
  title: 'unrelated && term in a condition (|| for early exits)',
  linePreserving: true,
  run(env) {
    const edits: Edit[] = [];
    for (const fn of functions(env)) {
      for (const s of descendants(fn, 'if_statement')) {
        const c = conditionOf(s);
        if (!c || !editable(env, c) || descendants(c, 'comment').length > 0) continue;
        const hasElse = !!s.childForFieldName('alternative');
        // For the rules that judge what every path does (unmap, free, refcount on error paths), a
        // term that is not known to be true adds a real path: leave their exits and actions alone.
        if (PATH_RULES.has(env.rule) && (exits(s.childForFieldName('consequence')) || descendants(s.childForFieldName('consequence')!, 'call_expression').length > 0 || hasElse)) continue;
        let op: '&&' | '||';
        const consequence = s.childForFieldName('consequence')!;
        // `||` keeps an early exit's guard only when the exit does nothing else on its way out
        if (!hasElse && exits(consequence)) {
          if (descendants(consequence, 'call_expression').length > 0) continue;
          op = '||';
        }
        else if (!hasElse || ruleidAt(env, s.startPosition.row).length > 0) op = '&&';
        else continue;
        const low = c.type === 'binary_expression' ? c.childForFieldName('operator')?.text : undefined;
        const wrap = ['conditional_expression', 'assignment_expression', 'comma_expression'].includes(c.type) || (op === '&&' && low === '||');
        const inner = wrap ? `(${c.text})` : c.text;
        const term = op === '&&' ? 'likely(meta_nr > 0)' : 'unlikely(meta_nr < 0)';
        edits.push({ start: c.startIndex, end: c.endIndex, text: `${inner} ${op} ${term}` });
      }
    }
    return edits;
  },
};

// 8. the call wrapped in a macro defined in the patch; 9. the call split over several lines

function annotatedCalls(env: Env): { call: Node; row: number }[] {
  const out: { call: Node; row: number }[] = [];
  for (const stmt of annotatedStatements(env, ['ruleid', 'ok'])) {
    for (const call of statementCalls(stmt)) if (usableCall(call) && editable(env, call)) out.push({ call, row: stmt.startPosition.row });
  }
  return out;
}

function args(call: Node): Node[] {
  return named(call.childForFieldName('arguments')!).filter((k) => k.type !== 'comment');
}

const macroWrap: Transform = {
  id: 'macro',
  title: 'annotated call wrapped in a macro of the patch',
  run(env) {
    const edits: Edit[] = [];
    for (const { call, row } of annotatedCalls(env)) {
      if (overlaps(edits, call.startIndex, call.endIndex)) continue;
      const as = args(call);
      if (as.slice(2).some((a) => /\/[/*]|"/.test(a.text))) continue;
      const params = ['d', 'p'].slice(0, Math.min(2, as.length));
      const rest = as.slice(params.length).map((a) => a.text.replace(/\s*\n\s*/g, ' '));
      const name = env.fresh('META_CALL').toUpperCase();
      const local: Edit[] = [];
      const tag = tagRow(env, row, local);
      env.addTop({ lines: [`#define ${name}(${params.join(', ')}) ${calleeName(call)}(${[...params, ...rest].join(', ')})${alt(tag)}`, ''] });
      local.push({ start: call.startIndex, end: call.endIndex, text: `${name}(${as.slice(0, params.length).map((a) => a.text).join(', ')})` });
      edits.push(...local);
    }
    return edits;
  },
};

const splitCall: Transform = {
  id: 'split',
  title: 'annotated call split over several lines',
  run(env) {
    const edits: Edit[] = [];
    for (const { call, row } of annotatedCalls(env)) {
      const as = args(call);
      const list = call.childForFieldName('arguments')!;
      if (as.length < 2 || overlaps(edits, list.startIndex, list.endIndex)) continue;
      const indent = `${lineIndent(env.src, call.startIndex)}\t\t`;
      if (`(${as.map((a) => a.text).join(`,\n${indent}`)})` === list.text) continue;
      // a finding on an argument moves with it: each new line is an acceptable place
      const local: Edit[] = [];
      const tag = tagRow(env, row, local);
      const text = `(${as.map((a) => a.text).join(`,${alt(tag)}\n${indent}`)})${alt(tag)}`;
      edits.push(...local, { start: list.startIndex, end: list.endIndex, text });
    }
    return edits;
  },
};

// 10. independent adjacent statements swapped

function reads(s: Node): Set<string> {
  return new Set(descendants(s, 'identifier').filter((i) => !isCallee(i) && !isConstantName(i.text)).map((i) => i.text));
}

function writes(s: Node): Set<string> {
  const out = new Set<string>();
  const root = (n: Node | null): Node | null => {
    while (n && n.type !== 'identifier') n = n.childForFieldName('argument') ?? n.childForFieldName('left') ?? n.childForFieldName('value') ?? named(n)[0] ?? null;
    return n;
  };
  if (s.type === 'declaration') for (const d of s.childrenForFieldName('declarator')) {
    const t = d?.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
    const id = t && descendants(t, 'identifier')[0];
    if (t?.type === 'identifier') out.add(t.text);
    else if (id) out.add(id.text);
  }
  for (const a of descendants(s, 'assignment_expression')) { const r = root(a.childForFieldName('left')); if (r) out.add(r.text); }
  for (const u of descendants(s, 'update_expression')) { const r = root(u); if (r) out.add(r.text); }
  for (const l of descendants(s, 'argument_list')) for (const i of descendants(l, 'identifier')) if (!isCallee(i)) out.add(i.text);
  return out;
}

function independent(a: Node, b: Node): boolean {
  const ra = reads(a);
  const rb = reads(b);
  const wa = writes(a);
  const wb = writes(b);
  for (const w of wa) if (rb.has(w) || wb.has(w)) return false;
  for (const w of wb) if (ra.has(w)) return false;
  return true;
}

/** The whole lines a statement (with its leading comments) occupies, if nothing else shares them. */
function ownLines(env: Env, s: Node): [number, number] | undefined {
  if (indentOf(env.src, s) === undefined) return undefined;
  const start = leadStart(env.src, s);
  const end = lineEnd(env.src, s.endIndex);
  const tail = env.src.slice(s.endIndex, end);
  if (!/^\s*(\/\*.*\*\/|\/\/.*)?\s*$/.test(tail)) return undefined;
  return [start, end];
}

const reorder: Transform = {
  id: 'reorder',
  title: 'adjacent independent statements swapped',
  run(env) {
    const edits: Edit[] = [];
    for (const block of descendants(env.root, 'compound_statement')) {
      const kids = named(block).filter((k) => k.type !== 'comment');
      for (let i = 0; i + 1 < kids.length; i++) {
        const [a, b] = [kids[i], kids[i + 1]];
        const simple = (s: Node) => s.type === 'expression_statement' || s.type === 'declaration';
        if (!simple(a) || !simple(b) || !editable(env, a) || !editable(env, b) || !independent(a, b)) continue;
        if (a.text.includes('__meta') || b.text.includes('__meta')) continue;
        const la = ownLines(env, a);
        const lb = ownLines(env, b);
        if (!la || !lb || !env.editableRow(env.src.slice(0, la[0]).split('\n').length - 1)) continue;
        // nothing but whitespace between the two blocks of lines
        if (env.src.slice(la[1], lb[0]).trim() !== '') continue;
        if (leadingComments(env.src, b).some((c) => !env.editableRow(c.startPosition.row))) continue;
        if (overlaps(edits, la[0], lb[1])) continue;
        const textA = env.src.slice(la[0], la[1]);
        const textB = env.src.slice(lb[0], lb[1]);
        edits.push({ start: la[0], end: lb[1], text: `${textB}${env.src.slice(la[1], lb[0])}${textA}` });
        i++;
      }
    }
    return edits;
  },
};

export const TRANSFORMS: readonly Transform[] = [
  rename, fieldSource, extractDecision, extractCall, secondFile, storedLocal, storedFlag, ifTernary, extraTerm, macroWrap, splitCall,
  reorder, guardToCaller,
];

export { applyEdits };
