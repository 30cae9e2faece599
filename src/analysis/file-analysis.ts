import type { Parser } from 'web-tree-sitter';
import { buildFragment, hunkLines, type Side } from '../c-parse/fragment.js';
import type { DiffLine, FileDiff, Patch } from '../input/patch-model.js';
import { extractFactsOnce } from './fact-memo.js';
import type { FunctionFacts, SideFacts, Span } from './facts.js';
import { PatchFlow, type FlowView } from './value-flow.js';
import { expandMacros, macrosOf, type Macro } from '../c-parse/macros.js';
import { apiRow } from './catalogue.js';

/** Everything the rules know of one C file of a patch. */
export interface FileAnalysis {
  path: string;
  file: FileDiff;
  /** Post-image facts (added and context lines). */
  post: SideFacts;
  /** Pre-image facts of the hunks that remove lines (removed and context lines). */
  pre: SideFacts;
  /** Whole-file mode: every line counts as added. */
  wholeFile: boolean;
  /** Value flow of a post-image function, within the whole patch (value-flow.ts). */
  taintOf(fn: FunctionFacts): TaintView;
  /** The patch-wide value flow this file belongs to. */
  flow: PatchFlow;
}

export type TaintView = FlowView;

const IDENTIFIER = /[A-Za-z_]\w*/g;

/** Identifiers on the lines of a patch, by kind, for pre-filters and era evidence. */
export function identifiersOf(files: readonly FileDiff[], kinds: string): Set<string> {
  const memo = patchIds.get(files) ?? new Map<string, Set<string>>();
  patchIds.set(files, memo);
  const known = memo.get(kinds);
  if (known) return known;
  const ids = new Set<string>();
  memo.set(kinds, ids);
  for (const f of files) for (const h of f.hunks) for (const l of h.lines) {
    if (kinds.includes(l.kind)) for (const id of lineIdentifiers(l)) ids.add(id);
  }
  return ids;
}

/**
 * A line's identifiers are kept on the line itself under a symbol (no WeakMap: a patch has
 * thousands of lines, and ephemeron tables that size cost the garbage collector more than the
 * tokenising they save); a symbol is invisible to JSON, structured clone and the line's readers.
 */
const IDS = Symbol('identifiers');
type Tokenised = DiffLine & { [IDS]?: readonly string[] };
/** A patch's files array asks the same questions once per rule and file: answer them once. */
const patchIds = new WeakMap<readonly FileDiff[], Map<string, Set<string>>>();

/** A line's identifiers, tokenised once however many pre-filters and rules ask. */
export function lineIdentifiers(line: DiffLine): readonly string[] {
  return (line as Tokenised)[IDS] ??= line.text.match(IDENTIFIER) ?? [];
}

/** `wholeFile`: the file holds the whole post-image (a C file, or a patch applied to its tree). */
export function analyseFile(parser: Parser, patch: Patch, file: FileDiff, path: string, inTree = false, flow = new PatchFlow()): FileAnalysis {
  const wholeFile = patch.kind === 'c-file' || inTree;
  const post = sideFacts(parser, file, 'new', wholeFile, patchMacros(patch, file, 'new'));
  const pre = patch.kind === 'c-file' ? emptySide() : sideFacts(parser, file, 'old', inTree, patchMacros(patch, file, 'old'));
  flow.add(path, post.functions, pre.functions, post.initializers);
  const memo = new Map<FunctionFacts, TaintView>();
  return {
    path, file, post, pre, wholeFile, flow,
    taintOf(fn) {
      let view = memo.get(fn);
      if (!view) {
        view = flow.flowOf(fn);
        memo.set(fn, view);
      }
      return view;
    },
  };
}

function sideFacts(parser: Parser, file: FileDiff, side: Side, wholeFile: boolean, macros: ReadonlyMap<string, Macro> = new Map()): SideFacts {
  const facts = emptySide();
  const byName = new Map<string, FunctionFacts>();
  file.hunks.forEach((hunk, index) => {
    if (side === 'old' && !hunk.lines.some((l) => l.kind === '-')) return;
    const lines = hunkLines(hunk, side);
    const built = buildFragment(lines, hunk.context, wholeFile);
    const fragment = macros.size ? { ...built, source: expandMacros(built.source, macros) } : built;
    const result = extractFactsOnce(parser, fragment, `${side}${index}`);
    facts.fragments++;
    facts.errorNodes += result.errorNodes;
    if (result.errorNodes > 0) facts.fragmentsWithErrors++;
    facts.initializers.push(...result.initializers);
    for (const fn of result.functions) mergeFunction(facts, byName, fn);
    for (const l of lines) for (const id of lineIdentifiers(l)) facts.identifiers.add(id);
  });
  return facts;
}

/** Hunks of one function are fragments of it: their facts are merged under the function's name. */
function mergeFunction(facts: SideFacts, byName: Map<string, FunctionFacts>, fn: FunctionFacts): void {
  if (fn.name === '' && isEmpty(fn)) return;
  const key = fn.name || `#${facts.functions.length}`;
  const known = byName.get(key);
  if (!known || fn.name === '') {
    byName.set(key, fn);
    facts.functions.push(fn);
    return;
  }
  known.calls.push(...fn.calls);
  known.assignments.push(...fn.assignments);
  known.returns.push(...fn.returns);
  known.gotos.push(...fn.gotos);
  known.labels.push(...fn.labels);
  known.switches.push(...fn.switches);
  known.ifs.push(...fn.ifs);
  known.initializers.push(...fn.initializers);
  (known.locals ??= []).push(...(fn.locals ?? []));
  if (!known.params.length) known.params = fn.params;
}

function isEmpty(fn: FunctionFacts): boolean {
  return !fn.calls.length && !fn.assignments.length && !fn.initializers.length && !fn.returns.length;
}

/** Macros the patch defines on one side: in this file, and in the headers of the same patch. */
function patchMacros(patch: Patch, file: FileDiff, side: Side): Map<string, Macro> {
  const dropped = side === 'new' ? '-' : '+';
  const texts: string[] = [];
  for (const f of patch.files) {
    if (f !== file && !/\.h$/.test(f.newPath)) continue;
    for (const h of f.hunks) for (const l of h.lines) if (l.kind !== dropped) texts.push(l.text);
  }
  // the API's own names stay names (a header of the patch may define them); a named constant
  // is expanded only where it stands for API vocabulary (`#define FOO_FLAGS (FOLL_WRITE | FOLL_PCI_P2PDMA)`)
  const macros = macrosOf(texts);
  for (const [name, m] of macros) {
    const apiBody = (m.body.match(/[A-Za-z_]\w*/g) ?? []).some((id) => apiRow(id));
    if (apiRow(name) || (!m.params && !apiBody)) macros.delete(name);
  }
  return macros;
}

function emptySide(): SideFacts {
  return { functions: [], initializers: [], identifiers: new Set(), errorNodes: 0, fragments: 0, fragmentsWithErrors: 0 };
}

/** The post-image (or else pre-image) line a fact starts on, for ordering facts. */
export function lineOf(span: Span): number {
  const first = span.lines[0];
  return first?.newLine ?? first?.oldLine ?? 0;
}

/** Whether context lines the patch shows count as added (see checkingShownContext). */
let shownContextCounts = false;

/**
 * Runs `check` (synchronous: a rule's check) with context lines the patch shows counted as added,
 * so that the rules also report pre-existing code next to a change (b4 review marks those).
 */
export function checkingShownContext<T>(check: () => T): T {
  shownContextCounts = true;
  try {
    return check();
  } finally {
    shownContextCounts = false;
  }
}

/** The first added line of a span, or undefined when the span holds none. */
export function firstAdded(span: Span): { line: DiffLineRef; column: number } | undefined {
  return firstOfKind(span, '+') ?? (shownContextCounts ? firstShownContext(span) : undefined);
}

/** The span's first line when it is a context line the patch itself shows (not one taken from the tree). */
export function firstShownContext(span: Span): { line: DiffLineRef; column: number } | undefined {
  const first = span.lines[0];
  return first && first.kind === ' ' && first.patchLine > 0 && first.newLine !== undefined ? { line: first, column: span.column } : undefined;
}

/** The first removed line of a span (pre-image facts), or undefined. */
export function firstRemoved(span: Span): { line: DiffLineRef; column: number } | undefined {
  return firstOfKind(span, '-');
}

function firstOfKind(span: Span, kind: '+' | '-'): { line: DiffLineRef; column: number } | undefined {
  const idx = span.lines.findIndex((l) => l.kind === kind);
  if (idx < 0) return undefined;
  const line = span.lines[idx]!;
  return { line, column: idx === 0 ? span.column : (line.text.search(/\S/) + 1 || 1) };
}

type DiffLineRef = Span['lines'][number];
