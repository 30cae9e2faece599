import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { withRulesSection } from '../src/tools/readme-rules.js';
import { projectPath } from './helpers/paths.js';

test('the README lists every rule with its examples, as the metadata says (npm run readme)', () => {
  const readme = readFileSync(projectPath('README.md'), 'utf8');
  assert.equal(readme, withRulesSection(readme));
  assert.match(readme, /^npm test {2,}# /m);
});
