import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

/**
 * The one tree-sitter code path of the CLI and the editor: web-tree-sitter (WASM) with the
 * tree-sitter-c grammar's own .wasm. Initialised once, lazily; every tree is deleted by `withTree`.
 */

export interface ParserLocation {
  /** Folder holding web-tree-sitter's tree-sitter.wasm (defaults to the installed package). */
  runtimeWasmDir?: string;
  /** Path of tree-sitter-c.wasm (defaults to the installed package). */
  grammarWasm?: string;
}

let ready: Promise<Parser> | undefined;
let location: ParserLocation = {};

/** Where the .wasm files are when they are not in node_modules (a bundled extension). */
export function locateParser(where: ParserLocation): void {
  if (ready) throw new Error('the C parser is already initialised');
  location = where;
}

export function cParser(): Promise<Parser> {
  ready ??= init();
  return ready;
}

async function init(): Promise<Parser> {
  const resolve = (id: string) => createRequire(import.meta.url).resolve(id);
  const runtimeDir = location.runtimeWasmDir ?? dirname(resolve('web-tree-sitter'));
  await Parser.init({ locateFile: (name: string) => join(runtimeDir, name) });
  const grammar = location.grammarWasm ?? resolve('tree-sitter-c/tree-sitter-c.wasm');
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammar));
  return parser;
}

/** Parses `source`, hands the tree to `use`, and always deletes it (WASM trees are not collected). */
export function withTree<T>(parser: Parser, source: string, use: (tree: Tree) => T): T {
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}
