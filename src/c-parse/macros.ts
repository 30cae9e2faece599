/**
 * Macros a patch (or a file) defines, expanded before parsing, so that a call wrapped in a macro
 * of the patch (`#define FOO_MAP(d, p) dma_map_single(d, p, ...)`) is seen as the call it stands
 * for. Only macros defined in the text at hand are expanded (the kernel's own are API, and the
 * catalogue names them); expansion keeps every row where it was, so diff lines still map.
 */
export interface Macro {
  name: string;
  /** Parameter names, or undefined for an object-like macro. */
  params?: string[];
  body: string;
}

const DEFINE = /^\s*#\s*define\s+([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$/;

/** `#define` lines (with backslash continuations) of some source lines. */
export function macrosOf(lines: readonly string[]): Map<string, Macro> {
  const out = new Map<string, Macro>();
  for (let i = 0; i < lines.length; i++) {
    const m = DEFINE.exec(lines[i]!);
    if (!m) continue;
    let body = m[4] ?? '';
    while (body.endsWith('\\') && i + 1 < lines.length) body = `${body.slice(0, -1)} ${lines[++i]!.trim()}`;
    body = body.replace(/\/\*.*?\*\//g, ' ').trim();
    if (!body || (/^(do\s*\{|\{)/.test(body) && !m[2])) continue;
    const params = m[2] !== undefined ? m[3]!.split(',').map((p) => p.trim()).filter(Boolean) : undefined;
    if (params?.some((p) => p === '...')) continue;
    out.set(m[1]!, { name: m[1]!, params, body });
  }
  return out;
}

/** The source with the macros expanded (twice at most: a macro of a macro), rows kept. */
export function expandMacros(source: string, macros: ReadonlyMap<string, Macro>): string {
  if (macros.size === 0) return source;
  let text = source;
  for (let round = 0; round < 2; round++) {
    const next = expandOnce(text, macros);
    if (next === text) break;
    text = next;
  }
  return text;
}

function expandOnce(source: string, macros: ReadonlyMap<string, Macro>): string {
  const names = [...macros.keys()].map((n) => n.replace(/[$]/g, '\\$')).join('|');
  const re = new RegExp(`\\b(${names})\\b`, 'g');
  let out = '';
  let last = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const lineStart = source.lastIndexOf('\n', m.index) + 1;
    if (/^\s*#/.test(source.slice(lineStart, m.index + 1))) continue; // the definition itself
    const macro = macros.get(m[1]!)!;
    let end = m.index + m[0].length;
    let expansion = macro.body;
    if (macro.params) {
      const call = argumentsAt(source, end);
      if (!call) continue;
      const values = call.args;
      macro.params.forEach((p, i) => {
        expansion = expansion.replace(new RegExp(`\\b${p}\\b`, 'g'), () => values[i] ?? '');
      });
      end = call.end;
    }
    const consumed = source.slice(m.index, end);
    const newlines = consumed.split('\n').length - 1;
    const statement = /^(do\b|\{)/.test(expansion.trim());
    const flat = expansion.replace(/\n/g, ' ');
    // parentheses keep precedence, but a call or an access path binds tighter than any operator
    // anyway, and `for_each_sg(...) (f(x));` would parse as a call of the iterator's result
    out += source.slice(last, m.index) + (statement || isPostfix(flat) ? flat : `(${flat})`) + '\n'.repeat(newlines);
    last = end;
    re.lastIndex = end;
  }
  return out + source.slice(last);
}

/** `f(a, b)`, `x->y.z`, `f(a)->b`: a postfix expression, which needs no parentheses. */
function isPostfix(text: string): boolean {
  const t = text.trim();
  let i = 0;
  const ident = () => { const m = /^[A-Za-z_]\w*/.exec(t.slice(i)); if (!m) return false; i += m[0].length; return true; };
  if (!ident()) return false;
  for (;;) {
    while (t[i] === ' ' || t[i] === '\t') i++;
    if (i >= t.length) return true;
    if (t[i] === '(' || t[i] === '[') {
      const close = t[i] === '(' ? ')' : ']';
      let depth = 0;
      let j = i;
      for (; j < t.length; j++) {
        if (t[j] === '(' || t[j] === '[') depth++;
        else if (t[j] === ')' || t[j] === ']') { depth--; if (depth === 0) break; }
        else if (t[j] === '"' || t[j] === "'") return false;
      }
      if (j >= t.length || t[j] !== close) return false;
      i = j + 1;
    } else if (t.startsWith('->', i) || t[i] === '.') {
      i += t[i] === '.' ? 1 : 2;
      while (t[i] === ' ') i++;
      if (!ident()) return false;
    } else return false;
  }
}

/** `( a, f(b, c), d )` from `at` (spaces allowed before the paren): the arguments and the end. */
function argumentsAt(source: string, at: number): { args: string[]; end: number } | undefined {
  let i = at;
  while (i < source.length && (source[i] === ' ' || source[i] === '\t')) i++;
  if (source[i] !== '(') return undefined;
  const args: string[] = [];
  let depth = 0;
  let start = i + 1;
  for (; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'") {
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === '\\') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        args.push(source.slice(start, i).replace(/\s+/g, ' ').trim());
        return { args: args.length === 1 && args[0] === '' ? [] : args, end: i + 1 };
      }
    } else if (c === ',' && depth === 1) {
      args.push(source.slice(start, i).replace(/\s+/g, ' ').trim());
      start = i + 1;
    }
  }
  return undefined;
}
