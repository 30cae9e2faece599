import type { Node } from 'web-tree-sitter';

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
 * Like web-tree-sitter's own nodes, two views of the same syntax node reached by different paths
 * are different objects; compare them by `id`.
 */
export class SyntaxNode {
  private typeCache?: string;
  private textCache?: string;
  private endIndexCache?: number;
  private endPositionCache?: Node['endPosition'];
  private hasErrorCache?: boolean;
  private childrenCache?: (SyntaxNode | null)[];
  private namedChildrenCache?: (SyntaxNode | null)[];
  private fieldCache?: Map<string, SyntaxNode | null>;

  constructor(private readonly node: Node) {}

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
    return this.childrenCache ??= this.node.children.map(wrap);
  }

  get namedChildren(): (SyntaxNode | null)[] {
    return this.namedChildrenCache ??= this.node.namedChildren.map(wrap);
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
      child = wrap(this.node.childForFieldName(name));
      fields.set(name, child);
    }
    return child;
  }
}

/** The view of a node (null stays null). */
export function wrap(node: Node | null): SyntaxNode | null {
  return node ? new SyntaxNode(node) : null;
}
