// Every hunk of every plain-text corpus mail, checked against the line counts in its own `@@` header:
// the lines a hunk's counts cover must carry the scope of their kind (and C scopes in .c/.h files),
// and no line outside them may carry a hunk-line scope. This catches any rule that swallows or leaks lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS } from '../helpers/paths.js';
import { tokenize, type Line } from './tokenize.js';

const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;
const LINE_SCOPE: Record<string, string> = {
  '+': 'markup.inserted.diff',
  '-': 'markup.deleted.diff',
  ' ': 'meta.diff.line.context.kernel-patch',
  '\\': 'meta.diff.no-newline.kernel-patch',
};
const LINE_SCOPES = ['meta.diff.line.inserted.kernel-patch', 'meta.diff.line.deleted.kernel-patch', 'meta.diff.line.context.kernel-patch'];

function corpusFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['labelled', 'noise', 'wild', 'series']) {
    for (const f of readdirSync(join(CORPUS, dir)).sort()) {
      if (f.endsWith('.patch') || f.endsWith('.mbox')) files.push(join(CORPUS, dir, f));
    }
  }
  return files;
}

interface Stats { hunks: number; hunkLines: number; broken: string[] }

function checkDocument(name: string, lines: Line[], stats: Stats): void {
  const inHunk = new Set<number>();
  const headers = new Set<number>(); // hunk headers: their function context is C
  let path = '';
  let gitHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].text;
    // Which file a hunk belongs to: the b/ path of `diff --git`, or the `---` path of a plain diff.
    const git = /^diff --git \S+ (\S+)$/.exec(text);
    const plain = lines[i + 1]?.text.startsWith('+++ ') ? /^--- (\S+)/.exec(text) : null;
    if (git) [path, gitHeader] = [git[1], true];
    else if (plain) [path, gitHeader] = [gitHeader ? path : plain[1], false];
    const h = HUNK.exec(text);
    if (!h) continue;
    assert.ok(lines[i].tokens[0].scopes.includes('meta.diff.range.unified'), `${name}:${i + 1}: hunk header not scoped`);
    headers.add(i);
    stats.hunks++;
    const isC = /\.[ch]$/.test(path);
    let oldLeft = h[1] === undefined ? 1 : Number(h[1]);
    let newLeft = h[2] === undefined ? 1 : Number(h[2]);
    let j = i + 1;
    for (; j < lines.length && (oldLeft > 0 || newLeft > 0 || lines[j].text.startsWith('\\')); j++) {
      const line = lines[j];
      const kind = line.text === '' ? ' ' : line.text[0];
      if (!(kind in LINE_SCOPE)) { // a mailer wrapped a long line: the patch is damaged, and so ends the hunk
        stats.broken.push(`${name}:${j + 1}`);
        break;
      }
      if (kind === ' ' || kind === '-') oldLeft--;
      if (kind === ' ' || kind === '+') newLeft--;
      inHunk.add(j);
      stats.hunkLines++;
      const where = `${name}:${j + 1} ${JSON.stringify(line.text)}`;
      assert.ok(line.tokens[0].scopes.includes('meta.diff.hunk.kernel-patch'), `${where}: not in a hunk`);
      if (line.text === '') continue; // a context line whose single space a mailer stripped
      assert.ok(line.tokens[0].scopes.includes(LINE_SCOPE[kind]), `${where}: prefix lacks ${LINE_SCOPE[kind]}`);
      for (const t of line.tokens) {
        if (kind !== '\\' && !t.scopes.includes(LINE_SCOPE[kind])) assert.fail(`${where}: ${JSON.stringify(t.text)} lost ${LINE_SCOPE[kind]}`);
        const c = t.scopes.includes('source.c');
        if (kind === '\\' || !isC || t.start === 0) assert.ok(!c, `${where}: ${JSON.stringify(t.text)} must not be C`);
        else assert.ok(c, `${where}: ${JSON.stringify(t.text)} in ${path} lacks source.c`);
      }
    }
    i = j - 1;
  }
  lines.forEach((line, k) => {
    if (inHunk.has(k)) return;
    for (const t of line.tokens) {
      const leaked = t.scopes.find((s) => LINE_SCOPES.includes(s) || (s === 'source.c' && !headers.has(k)));
      if (leaked) assert.fail(`${name}:${k + 1} ${JSON.stringify(line.text)}: ${leaked} outside any hunk`);
    }
  });
}

test('every hunk line of the plain-text corpus mails gets the scope of its kind, and nothing else does', async (t) => {
  let documents = 0;
  const stats: Stats = { hunks: 0, hunkLines: 0, broken: [] };
  for (const file of corpusFiles()) {
    const text = readFileSync(file, 'utf8');
    // Quoted-printable and base64 bodies are not diff text until decoded; the editor shows them raw.
    if (/^Content-Transfer-Encoding:\s*(quoted-printable|base64)/im.test(text)) continue;
    checkDocument(file.slice(CORPUS.length + 1), await tokenize(text), stats);
    documents++;
  }
  t.diagnostic(`${documents} documents, ${stats.hunks} hunks, ${stats.hunkLines} hunk lines, damaged: ${stats.broken.join(', ') || 'none'}`);
  assert.ok(documents > 350, `only ${documents} corpus documents checked`);
  assert.ok(stats.hunkLines > 50_000, `only ${stats.hunkLines} hunk lines checked`);
  assert.ok(stats.broken.length * 100 <= stats.hunks, `too many hunks disagree with their counts: ${stats.broken.join(', ')}`);
});
