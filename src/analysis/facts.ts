import type { DiffLine } from '../input/patch-model.js';

/**
 * What the rules see of the C: plain data extracted once from each tree (the tree is deleted
 * right after). Rules never look at tree-sitter nodes or re-scan text another layer understood.
 */

/** Where a fact stands: the diff lines its node spans, and the column of its first character. */
export interface Span {
  lines: DiffLine[];
  /** 1-based column on lines[0]. */
  column: number;
}

export type ExprKind = 'call' | 'path' | 'unary' | 'binary' | 'number' | 'string' | 'other';

/** An expression, kept small: its text, its shape where the rules need it, and what it mentions. */
export interface Expr {
  text: string;
  kind: ExprKind;
  /** Callee of a call, normalised access path of a path, operator of a unary/binary. */
  name?: string;
  /** Call arguments, or the operands of a unary/binary. */
  args: Expr[];
  /** Every normalised access path inside (`iod->sg` and `iod.sg` are both `iod.sg`). */
  paths: string[];
  /** Every callee named inside, the expression's own first. */
  callNames: string[];
  /** Every identifier inside, including macro-like constants (`DMA_ATTR_MMIO`). */
  identifiers: string[];
}

export type GuardKind = 'if' | 'else' | 'early-exit' | 'case' | 'ternary';

/** A condition known to hold (positive) or not to hold where a fact sits. */
export interface Guard {
  /** Identity of the deciding statement, shared by both arms. */
  id: string;
  kind: GuardKind;
  cond: Expr;
  positive: boolean;
  /** For 'case': the case labels of the arm (`default` for the default arm). */
  labels?: string[];
  span: Span;
}

export type LoopKind = 'for' | 'while' | 'do' | 'iterator';

export interface Loop {
  id: string;
  kind: LoopKind;
  /** The iterator macro (`for_each_sg`) or the loop keyword. */
  name: string;
  args: Expr[];
  span: Span;
}

interface Placed {
  span: Span;
  guards: Guard[];
  loops: Loop[];
}

export interface Call extends Placed {
  name: string;
  args: Expr[];
  expr: Expr;
  /** Access path the result is stored to (`x = f()`, `T x = f()`). */
  assignedTo?: string;
  /** The call is the value of a return statement. */
  returned: boolean;
  /** Id of the if statement whose condition holds this call. */
  conditionOf?: string;
  /** The call is of a wrapper the patch defines, inlined: the wrapper's name. */
  wrapper?: string;
}

export interface Assignment extends Placed {
  lhs: string;
  lhsExpr: Expr;
  /** `=`, `|=`, `&=`... */
  op: string;
  rhs: Expr;
  /** The assignment is a declaration's initializer (`struct page *p = x`: `*p` is the declarator, not a dereference). */
  declaration?: boolean;
}

export interface Return extends Placed {
  value?: Expr;
}

export interface Goto extends Placed {
  label: string;
}

export interface SwitchArm {
  labels: string[];
  span: Span;
}

export interface Switch extends Placed {
  id: string;
  subject: Expr;
  arms: SwitchArm[];
}

export interface Initializer {
  /** Declared type text, e.g. `const struct dma_map_ops`. */
  type: string;
  name: string;
  fields: { field: string; value: Expr; span: Span }[];
  span: Span;
}

export interface Param {
  name: string;
  type: string;
}

export interface FunctionFacts {
  /** Function name; '' for code outside any function. */
  name: string;
  span: Span;
  params: Param[];
  /** Local variables with their declared types (for object-keyed fields). */
  locals?: Param[];
  calls: Call[];
  assignments: Assignment[];
  returns: Return[];
  gotos: Goto[];
  labels: { name: string; span: Span }[];
  switches: Switch[];
  /** Decisions: if statements and conditional expressions (kind 'ternary'). */
  ifs: Guard[];
  initializers: Initializer[];
}

/** Facts of one side (post-image or pre-image) of one file of a patch. */
export interface SideFacts {
  functions: FunctionFacts[];
  /** Struct initializers at file level (`static const struct dma_map_ops x = { ... }`). */
  initializers: Initializer[];
  /** Identifiers seen on this side, for era evidence and pre-filters. */
  identifiers: Set<string>;
  /** ERROR nodes met while parsing, and fragments parsed. */
  errorNodes: number;
  fragments: number;
  fragmentsWithErrors: number;
}
