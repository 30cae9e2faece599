import type { FileAnalysis } from './file-analysis.js';
import type { FunctionFacts, Guard, Span } from './facts.js';
import { functionName } from './hunk-function.js';

/**
 * Global trap 6 (renames inside unchanged guards are not new advertisements): what the pre-image
 * held of a post-image function, so that a rule can compare a site the patch touches with the
 * same site before the patch. The pre-image is parsed from the removed and context lines of the
 * hunks that remove something; a function the patch only adds to has none (every site in it is new).
 */
export function preImageOf(file: FileAnalysis, fn: FunctionFacts, span: Span): FunctionFacts | undefined {
  const name = functionName(file.file, fn, span);
  if (!name) return undefined;
  return file.pre.functions.find((old) => functionName(file.file, old, old.span) === name);
}

/**
 * Whether a guarded site of the post-image, or the condition of a guard around it, is a
 * restructuring of the pre-image (trap 6): the pre-image held a site of the same kind in the same
 * function, and its capability gating is no stronger than the post-image's. `kind` keys the site
 * by what it sets (the flag or field it advertises), not by the spelling of the variables around it.
 *
 * Returns 'new' (no such site before: judge it as added), 'same' (the site was there with the same
 * or a weaker capability gating: a rename, a reformat, a move of lines around it), or 'weakened'
 * (the site was there behind a capability check that the post-image lost).
 */
export function comparedWithPreImage<S>(file: FileAnalysis, fn: FunctionFacts, site: S & { span: Span }, sitesOf: (fn: FunctionFacts) => S[],
  kind: (s: S) => string, gated: (fn: FunctionFacts, s: S) => boolean): 'new' | 'same' | 'weakened' {
  const before = preImageOf(file, fn, site.span);
  const olds = before ? sitesOf(before).filter((s) => kind(s) === kind(site)) : [];
  if (olds.length === 0) return 'new';
  if (gated(fn, site)) return 'same';
  return olds.some((s) => gated(before!, s)) ? 'weakened' : 'same';
}

/** The lines of a guard's condition (the `if (...)` head, not the arm it governs). */
export function conditionSpan(g: Guard): Span {
  return { lines: g.span.lines.slice(0, Math.max(1, g.cond.text.split('\n').length + 1)), column: g.span.column };
}
