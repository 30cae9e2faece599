import type { Node, Point, Tree } from 'web-tree-sitter';

/**
 * A read-only view of a parsed tree that asks web-tree-sitter each question once per node (issue
 * 11: fact extraction asked a node's type, children and fields again and again, and each answer
 * crosses into WASM: `type` marshals the node, `childForFieldName` and `namedChildren` build new
 * Node objects every time, so the caches web-tree-sitter keeps on one object were never hit).
 * One FastNode per node id (ids are unique within a tree, and the tree is never edited), so every
 * answer is the answer the Node gives. Only what extract-facts.ts and expressions.ts read is here;
 * the view lives as long as the extraction of its tree (the tree is deleted right after), and
 * forgets each top-level declaration once it has been walked (release()).
 */
export class FastNode {
  private typeCache?: string;
  private endIndexCache?: number;
  private endPositionCache?: Point;
  private textCache?: string;
  private namedCache?: (FastNode | null)[];
  private childrenCache?: (FastNode | null)[];
  private fields?: Map<string, FastNode | null>;
  private flags?: number;

  private constructor(private readonly node: Node, private readonly nodes: Map<number, FastNode>) {
    this.id = node.id;
    this.startIndex = node.startIndex;
    this.startPosition = node.startPosition;
  }

  readonly id: number;
  readonly startIndex: number;
  readonly startPosition: Point;

  /** The view of a tree's root: its nodes are looked up by id in a map of its own. */
  static root(tree: Tree): FastNode {
    return FastNode.of(tree.rootNode, new Map());
  }

  private static of(node: Node, nodes: Map<number, FastNode>): FastNode {
    let known = nodes.get(node.id);
    if (!known) {
      known = new FastNode(node, nodes);
      nodes.set(node.id, known);
    }
    return known;
  }

  private wrap(node: Node | null): FastNode | null {
    return node ? FastNode.of(node, this.nodes) : null;
  }

  get type(): string {
    this.typeCache ??= this.node.type;
    return this.typeCache;
  }

  get endIndex(): number {
    this.endIndexCache ??= this.node.endIndex;
    return this.endIndexCache;
  }

  get endPosition(): Point {
    this.endPositionCache ??= this.node.endPosition;
    return this.endPositionCache;
  }

  get text(): string {
    this.textCache ??= this.node.text;
    return this.textCache;
  }

  get namedChildren(): (FastNode | null)[] {
    this.namedCache ??= this.node.namedChildren.map((c) => this.wrap(c));
    return this.namedCache;
  }

  get children(): (FastNode | null)[] {
    this.childrenCache ??= this.node.children.map((c) => this.wrap(c));
    return this.childrenCache;
  }

  child(index: number): FastNode | null {
    return this.children[index] ?? null;
  }

  childForFieldName(name: string): FastNode | null {
    this.fields ??= new Map();
    let known = this.fields.get(name);
    if (known === undefined) {
      known = this.wrap(this.node.childForFieldName(name));
      this.fields.set(name, known);
    }
    return known;
  }

  private flag(bit: number, read: () => boolean): boolean {
    if (this.flags === undefined) this.flags = 0;
    if (!(this.flags & (bit << 1))) this.flags |= (bit << 1) | (read() ? bit : 0);
    return (this.flags & bit) !== 0;
  }

  get hasError(): boolean { return this.flag(1, () => this.node.hasError); }
  get isError(): boolean { return this.flag(4, () => this.node.isError); }
  get isMissing(): boolean { return this.flag(16, () => this.node.isMissing); }

  /**
   * Drops what this node and the view remember of the nodes below it (a top-level declaration
   * whose walk is over): memory is then bounded by the largest declaration, not the file. Only
   * caches go; a later question is asked of WASM again, with the same answer.
   */
  release(): void {
    this.namedCache = undefined;
    this.childrenCache = undefined;
    this.fields = undefined;
    this.nodes.clear();
  }

  equals(other: FastNode): boolean {
    return this.id === other.id;
  }
}
