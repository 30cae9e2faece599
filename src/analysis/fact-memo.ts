import type { Parser } from 'web-tree-sitter';
import { withTree } from '../c-parse/c-parser.js';
import type { Fragment } from '../c-parse/fragment.js';
import type { DiffLine } from '../input/patch-model.js';
import { LazyExpr } from './expressions.js';
import { extractFacts, type ExtractResult } from './extract-facts.js';

/**
 * The facts of a fragment, parsed and extracted once per text (issue 11). checkPatches reads every
 * patch twice, forward and reversed (repairs): the reversed patch's post-image is the forward
 * pre-image, line for line, so most fragments of the second run are texts the first one parsed.
 * Facts are plain data (facts.ts) whose only links outside are the diff lines of their spans and
 * the ids of their decisions (`<fragment id>:<offset>`); expressions (LazyExpr: the fragment's source
 * text and offsets, the same for the same text, never changed) are shared. So a stored result is handed out as a
 * copy with the lines of the fragment asking for it and its fragment id: the same facts that
 * parsing this fragment would give. The store keeps a pristine copy (callers merge into what
 * they get), bounded by entries and by text size; the key is everything extraction reads
 * (the source text and which rows are diff lines).
 */

interface Entry {
  result: ExtractResult;
  rows: readonly (DiffLine | undefined)[];
  fragmentId: string;
}

const MAX_ENTRIES = 512;
const MAX_CHARS = 8 << 20;
const store = new Map<string, Entry>();
let chars = 0;
let keeping = 0;

/**
 * Runs `work` (checkPatches' forward run of a patch whose reversed run follows) with the facts of
 * every fragment it parses kept, for the reversed run to find; forgetFacts() drops them. Nothing is
 * kept otherwise, so a single run pays no copies. Only speed depends on this: the store is keyed
 * by content.
 */
export async function keepingFacts<T>(work: () => Promise<T>): Promise<T> {
  keeping++;
  try {
    return await work();
  } finally {
    keeping--;
  }
}

export function forgetFacts(): void {
  store.clear();
  chars = 0;
}

export function extractFactsOnce(parser: Parser, fragment: Fragment, fragmentId: string): ExtractResult {
  if (store.size === 0 && keeping === 0) return withTree(parser, fragment.source, (tree) => extractFacts(tree, fragment, fragmentId));
  const rows = fragment.rows;
  const key = `${rows.length}:${rows[0] ? 1 : 0}${rows.at(-1) ? 1 : 0}:${fragment.source}`;
  const hit = store.get(key);
  if (hit && sameShape(hit.rows, rows)) {
    const copy = copyFacts(hit.result, hit.rows, rows, hit.fragmentId, fragmentId);
    if (copy) {
      store.delete(key); // most recently used last
      store.set(key, hit);
      return copy;
    }
  }
  const result = withTree(parser, fragment.source, (tree) => extractFacts(tree, fragment, fragmentId));
  if (keeping > 0 && key.length <= MAX_CHARS >> 2) {
    const pristine = copyFacts(result, rows, rows, fragmentId, fragmentId);
    if (pristine) {
      if (hit) { store.delete(key); chars -= key.length; }
      store.set(key, { result: pristine, rows, fragmentId });
      chars += key.length;
      for (const [k] of store) {
        if (store.size <= MAX_ENTRIES && chars <= MAX_CHARS) break;
        store.delete(k);
        chars -= k.length;
      }
    }
  }
  return result;
}

function sameShape(a: readonly (DiffLine | undefined)[], b: readonly (DiffLine | undefined)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!a[i] !== !b[i]) return false;
  return true;
}

/** Properties that hold a decision's id (extract-facts.ts idOf). */
const ID_KEYS = new Set(['id', 'conditionOf']);

/**
 * A deep copy of `facts` with the lines of `from` replaced by those of `to` (same rows) and the
 * fragment id prefix renamed; undefined when it meets something that is not plain data.
 */
function copyFacts(facts: ExtractResult, from: readonly (DiffLine | undefined)[], to: readonly (DiffLine | undefined)[],
  fromId: string, toId: string): ExtractResult | undefined {
  const lines = new Map<object, DiffLine>();
  for (let i = 0; i < from.length; i++) if (from[i]) lines.set(from[i]!, to[i]!);
  const seen = new Map<object, unknown>();
  const prefix = `${fromId}:`;
  let plain = true;
  const copy = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return key !== undefined && fromId !== toId && ID_KEYS.has(key) && value.startsWith(prefix) ? `${toId}:${value.slice(prefix.length)}` : value;
    if (value === null || typeof value !== 'object') return value;
    const line = lines.get(value);
    if (line) return line;
    const known = seen.get(value);
    if (known !== undefined) return known;
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      seen.set(value, out);
      for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
      return out;
    }
    const proto = Object.getPrototypeOf(value);
    // an expression (expressions.ts) is immutable and holds no line and no id: shared, not copied
    if (proto === LazyExpr.prototype) return value;
    if (proto !== Object.prototype) { plain = false; return value; }
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const k of Object.keys(value)) out[k] = copy((value as Record<string, unknown>)[k], k);
    return out;
  };
  const out = copy(facts) as ExtractResult;
  return plain ? out : undefined;
}
