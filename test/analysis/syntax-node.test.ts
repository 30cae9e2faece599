import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Node } from 'web-tree-sitter';
import { cParser, withTree } from '../../src/c-parse/c-parser.js';
import { LEAF_TYPES, SyntaxNode } from '../../src/c-parse/syntax-node.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The rule cases (our own kernel-style C, ERROR nodes included): every .c file under test/rules. */
function caseFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.c')) out.push(join(dir, e.name));
    }
  };
  walk(join(ROOT, 'test', 'rules'));
  return out.sort();
}

/** The field names of the grammar (node-types.json), to ask every node for each. */
const NODE_TYPES = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('tree-sitter-c/src/node-types.json'), 'utf8')) as
  { type: string; named: boolean; fields?: Record<string, unknown>; children?: unknown; subtypes?: unknown }[];
const FIELDS = [...new Set(NODE_TYPES.flatMap((t) => Object.keys(t.fields ?? {})))].sort();

describe('syntax-node: the walks\' view of web-tree-sitter nodes', () => {
  test('the leaf types are exactly the grammar\'s named types without fields or children', () => {
    const leaves = NODE_TYPES.filter((t) => t.named && !t.fields && !t.children && !t.subtypes).map((t) => t.type).sort();
    assert.deepEqual([...LEAF_TYPES].sort(), leaves);
  });

  test('every node of every rule case answers as web-tree-sitter does', async () => {
    const parser = await cParser();
    const files = caseFiles();
    assert.ok(files.length > 100, `only ${files.length} case files found`);
    let nodes = 0;
    for (const file of files) {
      withTree(parser, readFileSync(file, 'utf8'), (tree) => {
        const compare = (raw: Node, view: SyntaxNode, where: string): void => {
          nodes++;
          const at = `${file}: ${where}`;
          assert.equal(view.id, raw.id, at);
          assert.equal(view.type, raw.type, at);
          assert.equal(view.text, raw.text, at);
          assert.equal(view.startIndex, raw.startIndex, at);
          assert.equal(view.endIndex, raw.endIndex, at);
          assert.deepEqual(view.startPosition, raw.startPosition, at);
          assert.deepEqual(view.endPosition, raw.endPosition, at);
          assert.equal(view.hasError, raw.hasError, at);
          assert.equal(view.isError, raw.isError, at);
          assert.equal(view.isMissing, raw.isMissing, at);
          assert.deepEqual(view.children.map((c) => c?.id), raw.children.map((c) => c?.id), at);
          assert.deepEqual(view.namedChildren.map((c) => c?.id), raw.namedChildren.map((c) => c?.id), at);
          for (const field of FIELDS) assert.equal(view.childForFieldName(field)?.id, raw.childForFieldName(field)?.id, `${at} field ${field}`);
          // the same node reached again (as a field, as a child) is the same view
          for (const field of FIELDS) {
            const f = view.childForFieldName(field);
            if (f) assert.equal(f, view.namedChildren.find((c) => c?.id === f.id) ?? view.children.find((c) => c?.id === f.id), at);
          }
          raw.namedChildren.forEach((c, i) => { if (c) compare(c, view.namedChildren[i]!, `${where}/${c.type}`); });
        };
        compare(tree.rootNode, SyntaxNode.root(tree.rootNode), 'root');
      });
    }
    assert.ok(nodes > 10_000, `only ${nodes} nodes compared`);
  });
});
