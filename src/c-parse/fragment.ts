import type { DiffLine, Hunk } from '../input/patch-model.js';

/**
 * A hunk is a fragment of a function. To parse its statements as statements, the fragment is
 * wrapped in the blocks it starts inside of: the brace balance tells how many blocks close before
 * they open, and git's hunk context (`@@ ... @@ static int foo(...)`) names the function or the
 * initializer it starts in. The wrapper takes one line before the fragment, so row r of the
 * source is line r - 1 of the fragment.
 */
export interface Fragment {
  source: string;
  /** Row of `source` → the diff line it came from (undefined for wrapper rows). */
  rows: (DiffLine | undefined)[];
  /** Name of the function the fragment starts in, from the hunk context, when it starts in one. */
  enclosingFunction?: string;
}

export type Side = 'new' | 'old';

export function hunkLines(hunk: Hunk, side: Side): DiffLine[] {
  const dropped = side === 'new' ? '-' : '+';
  return hunk.lines.filter((l) => l.kind !== dropped);
}

export function buildFragment(lines: DiffLine[], context: string, wholeFile = false): Fragment {
  if (wholeFile) return { source: lines.map((l) => l.text).join('\n'), rows: lines };
  const { min, end, minIndent } = braceBalance(lines.map((l) => l.text));
  const head = contextHead(context);
  // Kernel code indents one tab per block: the `}` that closes most says how many blocks stay open.
  let open = min < 0 ? -min + minIndent : 0;
  if (open === 0 && head) open = firstIndent(lines);
  open = Math.min(open, 8);
  // a hunk that starts on the function's own `{` needs only the signature in front of it
  const signatureOnly = open === 0 && !!head && !head.isInitializer && startsWithBrace(lines);
  const opener = signatureOnly ? head!.opener.replace(/\s*\{$/, '')
    : open > 0 ? (head?.opener ?? 'void __fragment(void) {') + ' {'.repeat(open - 1) : '';
  const close = Math.max(0, open + end);
  const closer = close > 0 ? '}'.repeat(close - 1) + (head?.isInitializer && open > 0 ? '};' : '}') : '';
  return {
    source: [opener, ...lines.map((l) => l.text), closer].join('\n'),
    rows: [undefined, ...lines, undefined],
    enclosingFunction: (open > 0 || signatureOnly) && head && !head.isInitializer ? head.name : undefined,
  };
}

interface ContextHead {
  opener: string;
  name: string;
  isInitializer: boolean;
}

const FUNCTION_HEAD = /([A-Za-z_]\w*)\s*\(/;
const INITIALIZER_HEAD = /^(.*?=)\s*\{/;
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof']);

function contextHead(context: string): ContextHead | undefined {
  const text = context.trim();
  if (!text) return undefined;
  const init = INITIALIZER_HEAD.exec(text);
  if (init) return { opener: `${init[1]} {`, name: '', isInitializer: true };
  if (/^(struct|union|enum)\b[^(]*\{?\s*$/.test(text)) {
    return { opener: `${text.replace(/\s*\{?\s*$/, '')} {`, name: '', isInitializer: true };
  }
  const fn = FUNCTION_HEAD.exec(text);
  if (!fn || KEYWORDS.has(fn[1]!)) return undefined;
  return { opener: `void ${fn[1]}(${parameters(text.slice(fn.index + fn[0].length))}) {`, name: fn[1]!, isInitializer: false };
}

/**
 * The parameters git's hunk context shows (`foo(struct dma_buf_attachment *attach,` is cut at
 * 80 columns): the complete declarations among them, so a fragment knows its parameters' types.
 */
function parameters(rest: string): string {
  const close = rest.indexOf(')');
  const list = close >= 0 ? rest.slice(0, close) : rest;
  const parts = list.split(',').map((p) => p.trim());
  if (close < 0) parts.pop(); // the declaration the context cut off
  const complete = parts.filter((p) => /^(const\s+)?(struct|union|enum\s+)?\s*[A-Za-z_][\w\s]*[\s*]+[A-Za-z_]\w*(\[\])?$/.test(p));
  return complete.length ? complete.join(', ') : 'void';
}

function startsWithBrace(lines: DiffLine[]): boolean {
  const first = lines.find((l) => l.text.trim() !== '');
  return !!first && /^\{\s*$/.test(first.text);
}

/** Block depth suggested by the first code line's indentation (over-opening is harmless). */
function firstIndent(lines: DiffLine[]): number {
  const first = lines.find((l) => l.text.trim() !== '' && !/^\s*(\*|\/\*|#)/.test(l.text));
  return first ? indentOf(first.text) : 0;
}

function indentOf(line: string): number {
  const lead = /^[ \t]*/.exec(line)![0];
  let cols = 0;
  for (const c of lead) cols = c === '\t' ? cols + 8 - (cols % 8) : cols + 1;
  return Math.floor(cols / 8);
}

/** Brace balance of C text, ignoring braces in strings, characters and comments. */
export function braceBalance(lines: string[]): { min: number; end: number; minIndent: number } {
  let depth = 0;
  let min = 0;
  let minIndent = 0;
  let inComment = false;
  for (const line of lines) {
    if (/^\s*#/.test(line) && !inComment) continue;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inComment) {
        if (c === '*' && line[i + 1] === '/') { inComment = false; i++; }
        continue;
      }
      if (c === '/' && line[i + 1] === '/') break;
      if (c === '/' && line[i + 1] === '*') { inComment = true; i++; continue; }
      if (c === '"' || c === "'") { i = skipQuoted(line, i); continue; }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth < min) { min = depth; minIndent = indentOf(line); }
      }
    }
  }
  return { min, end: depth, minIndent };
}

/** The index of the quote closing the string or character literal opened at `start` (or the line's length). */
export function skipQuoted(line: string, start: number): number {
  const quote = line[start];
  for (let i = start + 1; i < line.length; i++) {
    if (line[i] === '\\') { i++; continue; }
    if (line[i] === quote) return i;
  }
  return line.length;
}
