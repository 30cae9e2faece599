import type { FunctionFacts, Span } from './facts.js';
import type { FileDiff } from '../input/patch-model.js';

const FUNCTION_HEAD = /([A-Za-z_]\w*)\s*\(/;
const NOT_FUNCTIONS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof']);

/**
 * The function a fact belongs to. A hunk that stops inside a statement parses with errors that
 * can swallow the function definition the fragment was wrapped in; the facts then sit in an
 * unnamed function, and git's hunk context (`@@ ... @@ struct ib_umem *ib_umem_get(...`) is the
 * only name left.
 */
export function functionName(file: FileDiff, fn: FunctionFacts, span: Span): string {
  if (fn.name) return fn.name;
  const first = span.lines[0];
  const hunk = first ? file.hunks.find((h) => h.lines.includes(first)) : undefined;
  const head = hunk ? FUNCTION_HEAD.exec(hunk.context) : null;
  return head && !NOT_FUNCTIONS.has(head[1]!) ? head[1]! : '';
}
