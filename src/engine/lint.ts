import { createHash } from 'node:crypto';
import type { Parser } from 'web-tree-sitter';
import { isCoreFile, isCSource, isTestCode } from '../analysis/core-files.js';
import {
  analyseFile, checkingShownContext, firstAdded, firstRemoved, firstShownContext, identifiersOf, type FileAnalysis,
} from '../analysis/file-analysis.js';
import { PatchFlow } from '../analysis/value-flow.js';
import type { Span } from '../analysis/facts.js';
import { describeEra, inferEra, type Era, type Version } from '../analysis/kernel-era.js';
import { cParser } from '../c-parse/c-parser.js';
import { applyConfig, rulesOff, type ProjectConfig } from '../config/project-config.js';
import { postImageLineAt, targetPath, type FileDiff, type Patch } from '../input/patch-model.js';
import { InputError, readInput } from '../input/read-input.js';
import { RULES } from '../rules/index.js';
import { toSuggestion } from './suggestions.js';
import { applyHunks } from '../tree/apply-hunks.js';
import type { SourceTree } from '../tree/source-tree.js';
import { loreUrl, type Finding, type Repair, type Rule, type RuleReport } from '../rules/rule.js';
import { repairsOf, reversePatch } from './repairs.js';

export interface LintOptions {
  /** Rule ids to run (all when empty). */
  rules?: readonly string[];
  /** Rule ids not to run. */
  ignore?: readonly string[];
  /** Target kernel, when the user knows it. */
  kernelVersion?: Version;
  /** The tree the patches apply to: whole files instead of hunk fragments. */
  tree?: TreeContext;
  /**
   * Also report what the rules find on context lines the patch shows but does not add, marked
   * `preexisting` (b4 review: a reviewer sees them, they do not count against the patch).
   */
  preexisting?: boolean;
}

/**
 * Tree context: pre-images come from `source`; each patch's post-images go to `overlay`, so the
 * patches of a series apply cumulatively; `notes` says where a patch did not apply.
 */
export interface TreeContext {
  source: SourceTree;
  overlay: Map<string, string>;
  notes: Note[];
}

export interface Note {
  input: string;
  mail: number;
  path: string;
  message: string;
}

export function treeContext(source: SourceTree): TreeContext {
  return { source, overlay: new Map(), notes: [] };
}

export interface LintStats {
  patches: number;
  files: number;
  /** C files skipped by the identifier pre-filter before any parsing. */
  filesSkipped: number;
  fragments: number;
  fragmentsWithErrors: number;
  errorNodes: number;
}

export function newStats(): LintStats {
  return { patches: 0, files: 0, filesSkipped: 0, fragments: 0, fragmentsWithErrors: 0, errorNodes: 0 };
}

export function selectRules(options: LintOptions): Rule[] {
  const wanted = new Set((options.rules ?? []).map((r) => r.toUpperCase()));
  const ignored = new Set((options.ignore ?? []).map((r) => r.toUpperCase()));
  const named = (r: Rule, set: Set<string>) => set.has(r.meta.id) || set.has(r.meta.slug.toUpperCase());
  return RULES.filter((r) => (wanted.size === 0 || named(r, wanted)) && !named(r, ignored));
}

/** Runs the rules over patches already read. Findings come in input order. */
export async function lintPatches(patches: readonly Patch[], options: LintOptions = {}, stats = newStats()): Promise<Finding[]> {
  const rules = selectRules(options);
  const findings: Finding[] = [];
  let parser: Parser | undefined;
  for (const patch of patches) {
    stats.patches++;
    const era = inferEra(identifiersOf(patch.files, '- '), identifiersOf(patch.files, '+'), options.kernelVersion);
    // Phase 1: which files each rule wants. A rule that wants one C file of a patch sees all of
    // them, since values flow between the files of one patch (summaries, fields).
    const units: { file: FileDiff; whole?: FileDiff; path: string; rules: Rule[] }[] = [];
    const wanted = new Set<Rule>();
    for (const file of patch.files) {
      const path = targetPath(file);
      const whole = options.tree && file.status !== 'binary' ? inTree(options.tree, patch, file, path) : undefined;
      if (file.status === 'binary' || file.status === 'deleted' || !isCSource(path)) continue;
      stats.files++;
      if (isTestCode(path, identifiersOf([whole ?? file], '+ '))) { stats.filesSkipped++; continue; }
      const own = rulesFor(rules, path, whole ?? file);
      own.forEach((r) => wanted.add(r));
      units.push({ file, whole, path, rules: own });
    }
    for (const u of units) {
      const core = isCoreFile(u.path);
      u.rules = rules.filter((r) => wanted.has(r) && (!core || r.meta.checksCoreFiles));
      if (u.rules.length === 0) stats.filesSkipped++;
    }
    // Phase 2: every wanted file is parsed into one patch-wide value flow, then the rules run.
    const flow = new PatchFlow();
    const analysed: { unit: (typeof units)[number]; analysis: FileAnalysis }[] = [];
    for (const unit of units) {
      if (unit.rules.length === 0) continue;
      parser ??= await cParser();
      const analysis = analyseFile(parser, patch, unit.whole ?? unit.file, unit.path, !!unit.whole, flow);
      stats.fragments += analysis.post.fragments + analysis.pre.fragments;
      stats.fragmentsWithErrors += analysis.post.fragmentsWithErrors + analysis.pre.fragmentsWithErrors;
      stats.errorNodes += analysis.post.errorNodes + analysis.pre.errorNodes;
      analysed.push({ unit, analysis });
    }
    flow.finish();
    for (const { unit, analysis } of analysed) {
      const { file, whole, path } = unit;
      const context = { patch, file: analysis, era, functions: analysis.post.functions };
      const seen = new Set<string>();
      const ofFile: Finding[] = [];
      for (const rule of unit.rules) {
        // the rules' own view first (added lines); then, for b4 review, a second look with the context
        // lines the patch shows counted too: what it finds in a function the first left alone is pre-existing
        const reports = rule.check(context);
        const older = options.preexisting
          ? checkingShownContext(() => rule.check(context)).filter((r) => !r.removed && !reports.some((n) => n.function === r.function))
          : [];
        for (const report of [...reports, ...older]) {
          const finding = toFinding(rule, report, patch, file, whole ?? file, path, era, older.includes(report));
          if (!finding) continue;
          const key = `${finding.rule}:${finding.line}`;
          if (seen.has(key)) continue;
          seen.add(key);
          ofFile.push(finding);
        }
      }
      findings.push(...oneFindingPerDefect(ofFile).sort((a, b) => a.line - b.line || a.column - b.column));
    }
  }
  return findings;
}

/**
 * Spec, "One finding per defect", point 3: the same value and defect seen by two rules is one
 * finding, under the rule whose fix alone repairs the decision point; the other rule is named.
 * Key: the rule that yields; value: the rules it yields to on the same line.
 */
const YIELDS_TO: Readonly<Record<string, readonly string[]>> = {
  R4: ['R2', 'R8', 'R16'],
  R10: ['R17'],
  R3: ['R11'],
};

export function oneFindingPerDefect(findings: Finding[]): Finding[] {
  return findings.filter((f) => {
    const winner = (YIELDS_TO[f.rule] ?? []).map((r) => findings.find((g) => g.rule === r && g.path === f.path && g.line === f.line)).find(Boolean);
    if (!winner) return true;
    if (!winner.message.includes(`(also ${f.rule}`)) winner.message += ` (also ${f.rule}: ${f.slug})`;
    return false;
  });
}

/**
 * The file with the patch applied to its tree pre-image (and the tree's overlay updated), or
 * undefined, with a note, when it does not apply: then the hunks are analysed as fragments.
 */
function inTree(tree: TreeContext, patch: Patch, file: FileDiff, path: string): FileDiff | undefined {
  const pre = file.status === 'added' ? '' : tree.overlay.get(file.oldPath) ?? tree.source.read(file.oldPath);
  const note = (message: string) => { tree.notes.push({ input: patch.input, mail: patch.mailIndex, path, message }); };
  if (pre === undefined) {
    note(`${file.oldPath} is not in the ${tree.source.label}; its hunks were analysed as fragments`);
    return undefined;
  }
  let applied = applyHunks(pre, file);
  // the tree moved on since the patch was made (b4 prep --check on a series, b4 am on an older
  // base): its pre-image blob, when git still holds it, as git am --3way finds it
  const blob = !applied.ok && file.oldBlob ? tree.source.blob?.(file.oldBlob) : undefined;
  if (!applied.ok && blob !== undefined) {
    const fromBlob = applyHunks(blob, file);
    if (fromBlob.ok) applied = fromBlob;
  }
  if (!applied.ok) {
    // already in the tree (b4 prep --check, a committed series): the pre-image is the tree's file
    // with the patch reversed
    const reversed = applyHunks(pre, reversePatch({ ...patch, files: [file] }).files[0]!);
    const again = reversed.ok ? applyHunks(reversed.postImage, file) : undefined;
    if (again?.ok && again.postImage === pre) applied = again;
  }
  if (!applied.ok) {
    note(`does not apply to the ${tree.source.label} (${applied.reason}); its hunks were analysed as fragments`);
    return undefined;
  }
  if (file.status === 'renamed') tree.overlay.set(file.oldPath, '');
  tree.overlay.set(path, file.status === 'deleted' ? '' : applied.postImage);
  return applied.file;
}

/** Rules that apply to a file: not exempt as core code, and with a trigger identifier in its hunks. */
function rulesFor(rules: readonly Rule[], path: string, file: FileDiff): Rule[] {
  const core = isCoreFile(path);
  const candidates = rules.filter((r) => !core || r.meta.checksCoreFiles);
  if (candidates.length === 0) return [];
  const ids = identifiersOf([file], '+- ');
  return candidates.filter((r) => r.meta.triggers.some((t) => ids.has(t)));
}

/**
 * `file` is the diff as read (for edits of the patch), `analysed` what the rules saw (whole file in
 * a tree); `preexisting`: a report of the second look, kept only on a context line the patch shows.
 */
function toFinding(rule: Rule, report: RuleReport, patch: Patch, file: FileDiff, analysed: FileDiff, path: string, era: Era, preexisting: boolean): Finding | undefined {
  let at = report.removed ? firstRemoved(report.span) : firstAdded(report.span);
  const old = preexisting ? (at ? undefined : firstShownContext(report.span)) : undefined;
  if (preexisting && !old) return undefined; // the second look only adds pre-existing findings
  at ??= old;
  const line = report.removed && at ? postImageLineAt(analysed, at.line) : at?.line.newLine;
  if (!at || line === undefined) return undefined; // removed and context lines never fire, unless the rule is about a removal
  const meta = rule.meta;
  return {
    rule: meta.id,
    slug: meta.slug,
    severity: report.severity ?? meta.defaultSeverity,
    message: report.message,
    input: patch.input,
    mail: patch.mailIndex,
    subject: patch.subject,
    messageId: patch.messageId,
    patchLine: at.line.patchLine,
    path,
    line,
    column: at.column,
    function: report.function || undefined,
    fix: meta.fix,
    references: meta.references.map((r) => loreUrl(r.messageId)),
    era: report.era ?? describeEra(era),
    related: (report.related ?? []).flatMap((r) => related(r.span, r.message, path)),
    fingerprint: fingerprint(meta.id, path, report.function, at.line.text),
    ...(report.suggestion && !old ? { suggestion: toSuggestion(patch, file, report.suggestion) } : {}),
    ...(old ? { preexisting: true } : {}),
  };
}


function related(span: Span, message: string, path: string): Finding['related'] {
  const line = span.lines[0];
  if (!line) return [];
  return [{ path, line: line.newLine ?? line.oldLine ?? 0, patchLine: line.patchLine, message }];
}

/** Survives line shifts: what is flagged, where by name, not by number. */
export function fingerprint(rule: string, path: string, fn: string | undefined, text: string): string {
  return createHash('sha256').update(`${rule}\0${path}\0${fn ?? ''}\0${text.replace(/\s+/g, ' ').trim()}`).digest('hex').slice(0, 16);
}

export interface DocumentResult {
  kind: Patch['kind'];
  findings: Finding[];
  repairs: Repair[];
  /** One-line problems met while reading (truncated hunk, bad encoding, not a patch). */
  problems: string[];
}

/** Lints a document's text as the editor holds it; never throws for bad input. */
export async function lintDocument(name: string, text: string, options: LintOptions = {}, config: ProjectConfig = {}): Promise<DocumentResult> {
  let patches: Patch[];
  try {
    patches = await readInput(name, Buffer.from(text, 'utf8'));
  } catch (e) {
    return { kind: 'diff', findings: [], repairs: [], problems: [e instanceof InputError ? e.message : String(e)] };
  }
  const lintOptions = { ...options, ignore: [...(options.ignore ?? []), ...rulesOff(config)] };
  const checked = await checkPatches(patches, lintOptions);
  return {
    kind: patches[0]?.kind ?? 'diff',
    findings: applyConfig(checked.findings, config),
    repairs: checked.repairs,
    problems: patches.flatMap((p) => p.problems),
  };
}

export interface CheckResult {
  findings: Finding[];
  repairs: Repair[];
}

/** Findings, and the repairs: risky patterns of the removed lines that the added lines drop. */
export async function checkPatches(patches: readonly Patch[], options: LintOptions = {}, stats = newStats()): Promise<CheckResult> {
  const findings: Finding[] = [];
  const repairs: Repair[] = [];
  for (const patch of patches) {
    const forward = await lintPatches([patch], options, stats);
    findings.push(...forward);
    if (patch.kind === 'c-file' || !patch.files.some((f) => f.hunks.some((h) => h.lines.some((l) => l.kind === '-')))) continue;
    // the reversed patch is read as fragments: it must not rewind the tree overlay of a series
    const reversed = await lintPatches([reversePatch(patch)], { ...options, tree: undefined, preexisting: false }, newStats());
    repairs.push(...repairsOf(patch, forward.filter((f) => !f.preexisting), reversed));
  }
  return { findings, repairs };
}
