import type { Node } from 'web-tree-sitter';

/**
 * The tree-sitter-c node types that never have named children (tokens: node-types.json lists no
 * fields and no children for them; test/analysis/syntax-node.test.ts checks the list against the
 * grammar's file). Most nodes of a tree are such leaves, and the walks ask every node for its
 * named children: a leaf answers without a call into WASM.
 */
export const LEAF_TYPES: ReadonlySet<string> = new Set([
  'character', 'comment', 'escape_sequence', 'false', 'field_identifier', 'identifier', 'ms_restrict_modifier', 'ms_signed_ptr_modifier',
  'ms_unsigned_ptr_modifier', 'number_literal', 'preproc_arg', 'preproc_directive', 'primitive_type', 'statement_identifier',
  'string_content', 'system_lib_string', 'true', 'type_identifier',
]);
const NO_CHILDREN: readonly (SyntaxNode | null)[] = Object.freeze([]) as readonly (SyntaxNode | null)[];

/**
 * A read-only view of a web-tree-sitter node that asks the WASM side each question once.
 *
 * web-tree-sitter's `Node` answers `type`, `text`, `endIndex`, `childForFieldName`, `hasError` and
 * friends by copying the node into WASM memory (`marshalNode`: five `setValue` calls) and calling
 * into the module, every time, and only `children`/`namedChildren` are cached on the object. The
 * fact walk (extract-facts.ts, expressions.ts) asks the same node its type and fields many times:
 * in the editor path's profile (issue 11) that glue took more time than the parse itself. A tree
 * is immutable while its facts are extracted (`withTree` deletes it afterwards and nothing edits
 * it), so every answer can be kept: the same answers, each obtained once.
 *
 * A tree's views are kept by node id (unique within a tree; expressions.ts already keys on it), so
 * a node reached as a field and again as a child is one view with one set of answers. Compare
 * nodes by `id`, as with web-tree-sitter's own.
 */
export class SyntaxNode {
  private typeCache?: string;
  private textCache?: string;
  private endIndexCache?: number;
  private endPositionCache?: Node['endPosition'];
  private hasErrorCache?: boolean;
  private childrenCache?: (SyntaxNode | null)[];
  private namedChildrenCache?: readonly (SyntaxNode | null)[];
  private fieldCache?: Map<string, SyntaxNode | null>;

  private constructor(private readonly node: Node, private readonly views: Map<number, SyntaxNode>) {}

  /** The view of a tree's root; its descendants' views are made as they are reached. */
  static root(node: Node): SyntaxNode {
    return new SyntaxNode(node, new Map()).remember();
  }

  private remember(): this {
    this.views.set(this.node.id, this);
    return this;
  }

  private view(node: Node | null): SyntaxNode | null {
    if (!node) return null;
    return this.views.get(node.id) ?? new SyntaxNode(node, this.views).remember();
  }

  get id(): number { return this.node.id; }
  get startIndex(): number { return this.node.startIndex; }
  get startPosition(): Node['startPosition'] { return this.node.startPosition; }
  get endIndex(): number { return this.endIndexCache ??= this.node.endIndex; }
  get endPosition(): Node['endPosition'] { return this.endPositionCache ??= this.node.endPosition; }
  get type(): string { return this.typeCache ??= this.node.type; }
  get text(): string { return this.textCache ??= this.node.text; }
  get hasError(): boolean { return this.hasErrorCache ??= this.node.hasError; }
  get isError(): boolean { return this.node.isError; }
  get isMissing(): boolean { return this.node.isMissing; }

  get children(): (SyntaxNode | null)[] {
    return this.childrenCache ??= this.node.children.map((c) => this.view(c));
  }

  get namedChildren(): readonly (SyntaxNode | null)[] {
    return this.namedChildrenCache ??= LEAF_TYPES.has(this.type) ? NO_CHILDREN : this.node.namedChildren.map((c) => this.view(c));
  }

  /**
   * Forgets what this view and its tree's views remember below it (a top-level declaration whose
   * walk is over), so that memory is bounded by the largest declaration, not the file; only
   * caches go, a later question is asked of WASM again and gets the same answer.
   */
  release(): void {
    this.childrenCache = undefined;
    this.namedChildrenCache = undefined;
    this.fieldCache = undefined;
    this.views.clear();
    this.remember();
  }

  /** The same syntax node of the same tree (web-tree-sitter's `equals`). */
  equals(other: SyntaxNode): boolean { return this.node.equals(other.node); }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  childForFieldName(name: string): SyntaxNode | null {
    const fields = this.fieldCache ??= new Map();
    let child = fields.get(name);
    if (child === undefined) {
      child = this.view(this.node.childForFieldName(name));
      fields.set(name, child);
    }
    return child;
  }
}
