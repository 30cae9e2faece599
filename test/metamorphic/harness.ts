import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { cParser } from '../../src/c-parse/c-parser.js';
import { parseVersion } from '../../src/analysis/kernel-era.js';
import { lintPatches } from '../../src/engine/lint.js';
import { targetPath } from '../../src/input/patch-model.js';
import { readInput } from '../../src/input/read-input.js';
import type { Finding } from '../../src/rules/rule.js';
import { projectPath } from '../helpers/paths.js';
import { cAsPatch, cDoc, cloneDoc, type Doc, type FileDoc, newFile, parsePatch, rebuildChunk, writeDoc } from './doc.js';
import { applyEdits, countErrors, WRAPPER } from './syntax.js';
import { type Annotation, type Env, type TopDef, type Transform, TRANSFORMS } from './transforms.js';

/**
 * The metamorphic harness: every rule case (test/rules/R*\/cases) is rewritten by every
 * transformation into an equivalent variant, the variant is linted through the CLI's own entry
 * points (readInput + lintPatches, as the rule-case runner does), and its findings for the case's
 * rule must be exactly the annotated lines of the variant (a tagged annotation may also be met on
 * its `@alt` lines).
 */

export interface RuleCase {
  rule: string;
  dir: string;
  file: string;
  /** "R2-single-map-api-on-p2p/fires-x.c" */
  key: string;
  text: string;
}

export type Status = 'pass' | 'fail' | 'n/a';

export interface Outcome {
  rule: string;
  caseKey: string;
  transform: string;
  status: Status;
  /** Chunks whose rewrite was dropped because it parsed with more ERROR nodes than before. */
  refused: number;
  detail?: string;
  variant?: string;
}

/** A control column: a .c case handed over as a patch that adds the same file. */
export const AS_PATCH = 'as-patch';

export const COLUMNS: readonly string[] = [AS_PATCH, ...TRANSFORMS.map((t) => t.id)];

export function loadCases(): RuleCase[] {
  const root = projectPath('test', 'rules');
  const out: RuleCase[] = [];
  for (const dir of readdirSync(root).filter((d) => /^R\d+-/.test(d))) {
    const rule = /^(R\d+)-/.exec(dir)![1];
    const casesDir = join(root, dir, 'cases');
    for (const file of readdirSync(casesDir).filter((f) => /\.(c|h|patch)$/.test(f)).sort()) {
      out.push({ rule, dir: casesDir, file, key: `${dir}/${file}`, text: readFileSync(join(casesDir, file), 'utf8') });
    }
  }
  return out.sort((a, b) => Number(a.rule.slice(1)) - Number(b.rule.slice(1)) || a.key.localeCompare(b.key));
}

export function caseDoc(c: RuleCase): Doc {
  return c.file.endsWith('.patch') ? parsePatch(c.text) : cDoc(c.text, c.file);
}

// ---------------------------------------------------------------------------------------------
// applying a transformation to a document

interface Wrapped {
  text: string;
  pre: number;
  post: number;
}

/** A hunk fragment wrapped in a function and blocks, as deep as its braces and indentation say. */
export function wrapFragment(lines: readonly string[], isPatch: boolean, context = ''): Wrapped {
  if (!isPatch) return { text: lines.join('\n'), pre: 0, post: 0 };
  const code = lines.join('\n').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => m.replace(/[^\n]/g, ' '));
  let bal = 0;
  let min = 0;
  for (const ch of code) {
    if (ch === '{') bal++;
    else if (ch === '}') { bal--; min = Math.min(min, bal); }
  }
  const first = code.split('\n').find((l) => l.trim() !== '' && !/^\s*#/.test(l) && !/^\w+:/.test(l));
  const tabs = first ? /^\t*/.exec(first)![0].length : 0;
  const open = Math.max(-min, tabs);
  const close = Math.max(0, open + bal);
  if (open === 0 && close === 0) return { text: lines.join('\n'), pre: 0, post: 0 };
  // git's function context gives the parameters when it holds the whole parameter list
  const params = /^[^(]*\w\s*\(([^()]*)\)/.exec(context)?.[1]?.trim() || 'void';
  const pre = open > 0 ? [`void ${WRAPPER}(${params}) {${' {'.repeat(open - 1)}`] : [];
  const post = close > 0 ? ['}'.repeat(close)] : [];
  return { text: [...pre, ...lines, ...post].join('\n'), pre: pre.length, post: post.length };
}

const ANNOTATION = /\b(ruleid|ok):\s*(R\d+)\b/g;

function annotationsOf(root: import('web-tree-sitter').Node, rule: string): Map<number, Annotation[]> {
  const out = new Map<number, Annotation[]>();
  for (const c of root.descendantsOfType('comment')) {
    if (!c) continue;
    for (const m of c.text.matchAll(ANNOTATION)) {
      if (m[2] !== rule) continue;
      const row = c.endPosition.row + 1;
      out.set(row, [...(out.get(row) ?? []), { kind: m[1] as 'ruleid' | 'ok', comment: c }]);
    }
  }
  return out;
}

export interface Applied {
  doc: Doc;
  applied: boolean;
  refused: number;
}

/** Paths of a .c case once it becomes a patch (control column and second-file variants). */
export function patchPathFor(file: string): string {
  return `drivers/misc/meta/${basename(file).replace(/\.(c|h)$/, '')}.c`;
}

export async function applyTransform(input: Doc, t: Transform, rule: string, caseFile: string): Promise<Applied> {
  const parser = await cParser();
  let doc = cloneDoc(input);
  if (t.secondFile && doc.kind === 'c') doc = cAsPatch(doc, patchPathFor(caseFile));
  const original = writeDoc(input);
  let counter = 0;
  const fresh = (prefix: string) => {
    let name: string;
    do name = `${prefix}${++counter}`; while (original.includes(name));
    return name;
  };
  let tags = 0;
  let applied = false;
  let refused = 0;
  const helperFiles = new Map<FileDoc, string[]>();
  for (const file of doc.files) {
    file.chunks = file.chunks.map((chunk) => {
      const isPatch = doc.kind === 'patch';
      const w = wrapFragment(chunk.lines, isPatch, chunk.context);
      const tree = parser.parse(w.text)!;
      const tops: TopDef[] = [];
      const env: Env = {
        src: w.text,
        root: tree.rootNode,
        rule,
        isPatch,
        editableRow: (row) => row >= w.pre && row - w.pre < chunk.lines.length && chunk.kinds[row - w.pre] === '+',
        fresh,
        tagNumber: () => ++tags,
        addTop: (d) => tops.push(d),
        annotations: annotationsOf(tree.rootNode, rule),
        secondFile: !!t.secondFile,
        rowTags: new Map(),
        renames: new Map(),
      };
      try {
        const edits = t.run(env);
        if (edits.length === 0) return chunk;
        const out = applyEdits(w.text, edits);
        if (out === w.text) return chunk;
        const after = parser.parse(out)!;
        const worse = countErrors(after.rootNode) > countErrors(tree.rootNode);
        after.delete();
        if (worse) {
          refused++;
          return chunk;
        }
        const all = out.split('\n');
        const lines = all.slice(w.pre, all.length - w.post);
        applied = true;
        if (t.secondFile) {
          helperFiles.set(file, [...(helperFiles.get(file) ?? []), ...tops.flatMap((d) => d.lines)]);
          file.top.push(...tops.flatMap((d) => (d.proto ? [d.proto] : [])));
          if (file.top.length > 0 && file.top[file.top.length - 1] !== '') file.top.push('');
        } else file.top.push(...tops.flatMap((d) => d.lines));
        if (!isPatch) return { ...chunk, lines, kinds: lines.map(() => '+' as const), removed: lines.map((): string[] => []).concat([[]]) };
        if (t.linePreserving && lines.length === chunk.lines.length) {
          const renamed = (s: string) => s.replace(/\b[A-Za-z_]\w*\b/g, (id) => env.renames.get(id) ?? id);
          return { ...chunk, lines, removed: chunk.removed.map((rs) => rs.map(renamed)) };
        }
        return rebuildChunk(chunk, lines);
      } finally {
        tree.delete();
      }
    });
  }
  for (const [file, lines] of helperFiles) {
    if (lines.length === 0) continue;
    const path = posix.join(posix.dirname(file.path), `${posix.basename(file.path).replace(/\.\w+$/, '')}-meta-helpers.c`);
    doc.files.splice(doc.files.indexOf(file) + 1, 0, newFile(path, lines));
  }
  return { doc, applied, refused };
}

// ---------------------------------------------------------------------------------------------
// linting a variant and judging its findings

export async function lintVariant(name: string, text: string, rule: string): Promise<{ findings: Finding[]; patches: Awaited<ReturnType<typeof readInput>> }> {
  const patches = await readInput(name, Buffer.from(text));
  const version = /kernel-version:\s*([\d.]+)/.exec(text)?.[1];
  const findings = (await lintPatches(patches, { rules: [rule], kernelVersion: version ? parseVersion(version) : undefined })).filter((f) => f.rule === rule);
  return { findings, patches };
}

interface Expected {
  at: string;
  tag?: string;
}

/** The annotated lines of a variant (as the case runner reads them) and the alternative lines of tags. */
export function expectations(patches: Awaited<ReturnType<typeof readInput>>, rule: string): { expected: Expected[]; alts: Map<string, Set<string>> } {
  const expected: Expected[] = [];
  const alts = new Map<string, Set<string>>();
  const marker = new RegExp(`ruleid:\\s*${rule}(?:\\((?:error|warning|info)\\))?(?![\\w])(?:\\s+@(m\\d+))?`);
  for (const patch of patches) {
    for (const file of patch.files) {
      const path = targetPath(file);
      const post = file.hunks.flatMap((h) => h.lines.filter((l) => l.newLine !== undefined));
      post.forEach((line, i) => {
        const m = marker.exec(line.text);
        const next = post[i + 1];
        if (m && next?.newLine !== undefined) expected.push({ at: `${path}:${next.newLine}`, tag: m[1] });
        for (const a of line.text.matchAll(/@alt (m\d+)/g)) alts.set(a[1], (alts.get(a[1]) ?? new Set()).add(`${path}:${line.newLine}`));
      });
    }
  }
  return { expected, alts };
}

export function judge(findings: readonly Finding[], exp: ReturnType<typeof expectations>): { ok: boolean; missing: string[]; extra: string[] } {
  const left = findings.map((f) => `${f.path}:${f.line}`);
  const missing: string[] = [];
  // primary lines first, then the alternatives of tagged annotations
  const pending: Expected[] = [];
  for (const e of exp.expected) {
    const k = left.indexOf(e.at);
    if (k >= 0) left.splice(k, 1);
    else pending.push(e);
  }
  for (const e of pending) {
    const k = left.findIndex((at) => e.tag !== undefined && exp.alts.get(e.tag)?.has(at));
    if (k >= 0) left.splice(k, 1);
    else missing.push(e.at);
  }
  return { ok: missing.length === 0 && left.length === 0, missing, extra: left };
}

function variantName(c: RuleCase, doc: Doc): string {
  return join(c.dir, doc.kind === 'patch' ? c.file.replace(/\.(c|h)$/, '.patch') : c.file);
}

export async function judgeDoc(c: RuleCase, doc: Doc): Promise<{ ok: boolean; detail: string; text: string }> {
  const text = writeDoc(doc);
  const { findings, patches } = await lintVariant(variantName(c, doc), text, c.rule);
  const v = judge(findings, expectations(patches, c.rule));
  const rel = (at: string) => at.startsWith(c.dir) ? at.slice(c.dir.length + 1) : at;
  const detail = [v.missing.length ? `missing ${v.missing.map(rel).join(' ')}` : '', v.extra.length ? `extra ${v.extra.map(rel).join(' ')}` : ''].filter(Boolean).join('; ');
  return { ok: v.ok, detail, text };
}

export async function runCase(c: RuleCase): Promise<{ baseline: { ok: boolean; detail: string }; outcomes: Outcome[] }> {
  const doc = caseDoc(c);
  const baseline = await judgeDoc(c, doc);
  const outcomes: Outcome[] = [];
  const base = { rule: c.rule, caseKey: c.key };
  if (!baseline.ok) return { baseline, outcomes };
  // control: a .c case as a patch adding the same file
  if (doc.kind === 'c') {
    const r = await judgeDoc(c, cAsPatch(doc, patchPathFor(c.file)));
    outcomes.push({ ...base, transform: AS_PATCH, status: r.ok ? 'pass' : 'fail', refused: 0, detail: r.detail, variant: r.text });
  } else outcomes.push({ ...base, transform: AS_PATCH, status: 'n/a', refused: 0 });
  for (const t of TRANSFORMS) {
    const a = await applyTransform(doc, t, c.rule, c.file);
    if (!a.applied) {
      outcomes.push({ ...base, transform: t.id, status: 'n/a', refused: a.refused });
      continue;
    }
    const r = await judgeDoc(c, a.doc);
    outcomes.push({ ...base, transform: t.id, status: r.ok ? 'pass' : 'fail', refused: a.refused, detail: r.detail, variant: r.text });
  }
  return { baseline, outcomes };
}

export async function runAll(): Promise<{ outcomes: Outcome[]; brokenBaselines: string[] }> {
  const outcomes: Outcome[] = [];
  const brokenBaselines: string[] = [];
  for (const c of loadCases()) {
    const r = await runCase(c);
    if (!r.baseline.ok) brokenBaselines.push(`${c.key}: ${r.baseline.detail}`);
    outcomes.push(...r.outcomes);
  }
  return { outcomes, brokenBaselines };
}

// ---------------------------------------------------------------------------------------------
// the survival table and the list of known failures

export const KNOWN_FAILURES = projectPath('test', 'metamorphic', 'known-failures.json');

export interface KnownFailure {
  case: string;
  transform: string;
  detail?: string;
}

export const outcomeKey = (caseKey: string, transform: string) => `${caseKey} :: ${transform}`;

export function readKnownFailures(): Map<string, KnownFailure> {
  const data = JSON.parse(readFileSync(KNOWN_FAILURES, 'utf8')) as { failures: KnownFailure[] };
  return new Map(data.failures.map((f) => [outcomeKey(f.case, f.transform), f]));
}

export function knownFailuresJson(outcomes: readonly Outcome[]): string {
  const failures = outcomes.filter((o) => o.status === 'fail').map((o) => ({ case: o.caseKey, transform: o.transform, detail: o.detail }));
  return `${JSON.stringify({
    comment: 'Metamorphic variants that lose their verdict on the checker as it is; generated by `npm run metamorphic:update`. The test fails on any other loss and lists the entries that now pass.',
    failures,
  }, null, 2)}\n`;
}

export function survivalTable(outcomes: readonly Outcome[]): string {
  const rules = [...new Set(outcomes.map((o) => o.rule))].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const cell = (os: readonly Outcome[]) => {
    const applicable = os.filter((o) => o.status !== 'n/a');
    return applicable.length === 0 ? '-' : `${applicable.filter((o) => o.status === 'pass').length}/${applicable.length}`;
  };
  const rows: string[][] = [['rule', ...COLUMNS, 'all']];
  for (const r of rules) {
    const mine = outcomes.filter((o) => o.rule === r);
    rows.push([r, ...COLUMNS.map((c) => cell(mine.filter((o) => o.transform === c))), cell(mine)]);
  }
  rows.push(['all', ...COLUMNS.map((c) => cell(outcomes.filter((o) => o.transform === c))), cell(outcomes)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ')).join('\n');
}


/** A transformation applied to one piece of C (or a patch), as text: for the sanity tests. */
export async function transformText(text: string, transformId: string, rule: string, file = 'example.c'): Promise<{ applied: boolean; text: string; doc: Doc }> {
  const t = TRANSFORMS.find((x) => x.id === transformId);
  if (!t) throw new Error(`no transformation ${transformId}`);
  const doc = file.endsWith('.patch') ? parsePatch(text) : cDoc(text, file);
  const a = await applyTransform(doc, t, rule, file);
  return { applied: a.applied, text: writeDoc(a.doc), doc: a.doc };
}

/** ERROR and MISSING nodes over every chunk of a document (hunks wrapped as the harness wraps them). */
export async function docErrors(doc: Doc): Promise<number> {
  const parser = await cParser();
  let n = 0;
  for (const file of doc.files) {
    const chunks = file.top.length > 0 ? [file.top, ...file.chunks.map((c) => c.lines)] : file.chunks.map((c) => c.lines);
    for (const lines of chunks) {
      const tree = parser.parse(wrapFragment(lines, doc.kind === 'patch').text)!; // (context-free: errors only)
      n += countErrors(tree.rootNode);
      tree.delete();
    }
  }
  return n;
}
