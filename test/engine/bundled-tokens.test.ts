import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { isCandidate, RULE_IDS, RULE_TOKENS } from '../../src/rules/rule-tokens.js';
import { PROJECT_ROOT } from '../helpers/paths.js';

/** What JSON cannot hold, written comparably (requiresExempt is a RegExp). */
const comparable = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof RegExp ? `RegExp ${v.toString()}` : v)));

test('the CLI bundle holds the pre-filter token table as data: the values rule-tokens.ts derives from the catalogue, and its isCandidate', async () => {
  // the start-up bundle (start-<hash>.js, one CommonJS file that p2pcheck.js runs) holds the table
  // and not the catalogue; the chunks it loads on demand (dist/cli/lib) hold it once more, in a chunk of its own
  const starts = readdirSync(join(PROJECT_ROOT, 'dist', 'cli')).filter((n) => /^start-\w+\.js$/.test(n));
  assert.equal(starts.length, 1, starts.join(' '));
  const startup = readFileSync(join(PROJECT_ROOT, 'dist', 'cli', starts[0]!), 'utf8');
  assert.match(startup, /\bRULE_TOKENS\s*=\s*\{/);
  assert.doesNotMatch(startup, /namesWith|triggersOf/, 'the start-up bundle holds no catalogue');
  const dir = join(PROJECT_ROOT, 'dist', 'cli', 'lib');
  const chunks = readdirSync(dir).filter((n) => n.startsWith('chunk-') && n.endsWith('.js') && /export\{[^}]*\bRULE_TOKENS\b/.test(readFileSync(join(dir, n), 'utf8')));
  assert.equal(chunks.length, 1, `one chunk holds the table (${chunks.join(', ')})`);
  const text = readFileSync(join(dir, chunks[0]!), 'utf8');
  assert.doesNotMatch(text, /namesWith|triggersOf|\bimport\b[^;]*chunk-/, 'the catalogue (or any other chunk) is not needed to build it');
  const mod = await import(pathToFileURL(join(dir, chunks[0]!)).href) as { RULE_TOKENS: typeof RULE_TOKENS; RULE_IDS: typeof RULE_IDS; isCandidate: typeof isCandidate };
  const table = mod.RULE_TOKENS;
  assert.deepEqual(comparable(table), comparable(RULE_TOKENS));
  assert.deepEqual(mod.RULE_IDS, RULE_IDS);
  const candidate = mod.isCandidate;
  for (const id of RULE_IDS) {
    const tokens = RULE_TOKENS[id]!;
    const all = new Set([...tokens.triggers, ...(tokens.requires ?? []).flat()]);
    for (const path of ['drivers/nvme/host/pci.c', 'kernel/dma/mapping.c']) {
      assert.equal(candidate(table[id]!, all, path), isCandidate(tokens, all, path), `${id} ${path}`);
      assert.equal(candidate(table[id]!, new Set(tokens.triggers.slice(0, 1)), path), isCandidate(tokens, new Set(tokens.triggers.slice(0, 1)), path), `${id} ${path}, one trigger`);
    }
  }
});
