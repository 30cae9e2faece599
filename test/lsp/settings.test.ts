import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLintable } from '../../src/server/server.js';
import { DEFAULT_SETTINGS, parseSettings, withUserRules } from '../../src/server/settings.js';

test('settings from any client: well-formed values kept, anything else falls back to the default', () => {
  assert.deepEqual(parseSettings({ kernelVersion: '6.12', rules: { R1: 'off', R3: 'error' }, run: 'onSave', onTypeMaxBytes: 10, debounceMs: 0 }),
    { kernelVersion: 6012, rules: { R1: 'off', R3: 'error' }, run: 'onSave', onTypeMaxBytes: 10, debounceMs: 0 });
  assert.deepEqual(parseSettings({ kernelVersion: 'auto' }), DEFAULT_SETTINGS);
  for (const junk of [null, undefined, 42, 'x', [], { kernelVersion: 'latest', rules: { R1: 'loud', R2: 3 }, run: 'always', debounceMs: -5, onTypeMaxBytes: 'big' }]) {
    assert.deepEqual(parseSettings(junk), DEFAULT_SETTINGS, JSON.stringify(junk));
  }
  assert.deepEqual(withUserRules({ rules: { R1: 'off', R2: 'warning' }, skipPaths: ['x/**'] }, { ...DEFAULT_SETTINGS, rules: { R1: 'error' } }),
    { rules: { R1: 'error', R2: 'warning' }, skipPaths: ['x/**'] });
});

test('documents the server checks: patches and mails by name or language, C files; nothing else', () => {
  for (const [uri, languageId] of [['file:///a/0001-x.patch', ''], ['file:///a/x.diff', 'diff'], ['file:///a/s.mbx', ''], ['file:///a/m.eml', 'mail'],
    ['file:///a/series', 'mail'], ['untitled:Untitled-1', 'diff'], ['file:///linux/drivers/x.c', 'c'], ['file:///linux/include/x.h', 'cpp'], ['untitled:Untitled-2', 'c']]) {
    assert.ok(isLintable({ uri: uri!, languageId: languageId! }), uri);
  }
  for (const [uri, languageId] of [['file:///a/x.py', 'python'], ['file:///a/README', 'markdown'], ['git:/a/x.patch', 'diff'], ['untitled:Untitled-3', 'plaintext']]) {
    assert.ok(!isLintable({ uri: uri!, languageId: languageId! }), uri);
  }
});
