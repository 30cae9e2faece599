// Tokenizes text with syntaxes/kernel-patch.tmLanguage.json exactly as VS Code does: vscode-textmate
// on the Oniguruma WebAssembly build, with VS Code's own C grammar (shipped by tm-grammars) for source.c.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vsctm from 'vscode-textmate';
import type { IGrammar, IOnigLib } from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';
import { projectPath } from '../helpers/paths.js';

const require = createRequire(import.meta.url);

export const GRAMMAR_PATH = projectPath('syntaxes', 'kernel-patch.tmLanguage.json');
export const SCOPE = 'source.kernel-patch';
/** VS Code's extensions/cpp/syntaxes/c.tmLanguage.json, as packaged by tm-grammars. */
export const C_GRAMMAR_PATH = require.resolve('tm-grammars/grammars/c.json');

export interface Token { text: string; start: number; scopes: string[] }
export interface Line { text: string; tokens: Token[] }

let wasmLoaded: Promise<void> | undefined;

export function onigLib(): Promise<IOnigLib> {
  wasmLoaded ??= oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')));
  return wasmLoaded.then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  }));
}

const grammars = new Map<string, Promise<IGrammar>>();

/** The kernel-patch grammar, with or without the real C grammar behind `source.c`. */
export function loadGrammar(withC = true): Promise<IGrammar> {
  const key = String(withC);
  let g = grammars.get(key);
  if (!g) {
    const files: Record<string, string> = { [SCOPE]: GRAMMAR_PATH };
    if (withC) files['source.c'] = C_GRAMMAR_PATH;
    const registry = new vsctm.Registry({
      onigLib: onigLib(),
      loadGrammar: async (scope) => (files[scope] ? vsctm.parseRawGrammar(readFileSync(files[scope], 'utf8'), files[scope]) : null),
    });
    g = registry.loadGrammar(SCOPE).then((x) => {
      if (!x) throw new Error(`grammar ${SCOPE} did not load`);
      return x;
    });
    grammars.set(key, g);
  }
  return g;
}

export async function tokenize(text: string, withC = true): Promise<Line[]> {
  const grammar = await loadGrammar(withC);
  let state = vsctm.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return {
      text: line,
      tokens: r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, scopes: t.scopes })),
    };
  });
}

/** Scopes of the token that holds column `col` of a line. */
export function scopesAt(line: Line, col: number): string[] {
  const t = line.tokens.find((x) => col >= x.start && col < x.start + Math.max(x.text.length, 1));
  if (!t) throw new Error(`no token at column ${col} of ${JSON.stringify(line.text)}`);
  return t.scopes;
}

/** Scopes of the first occurrence of `needle` in a line (of the token at its first character). */
export function scopesOf(line: Line, needle: string, from = 0): string[] {
  const col = line.text.indexOf(needle, from);
  if (col < 0) throw new Error(`${JSON.stringify(needle)} not in ${JSON.stringify(line.text)}`);
  return scopesAt(line, col);
}

/** The first line that starts with `prefix`, at or after line `from`. */
export function lineStarting(lines: Line[], prefix: string, from = 0): Line {
  const l = lines.slice(from).find((x) => x.text.startsWith(prefix));
  if (!l) throw new Error(`no line starts with ${JSON.stringify(prefix)}`);
  return l;
}
