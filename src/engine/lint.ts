import { createHash } from 'node:crypto';
import type { Parser } from 'web-tree-sitter';
import { isCoreFile, isCSource } from '../analysis/core-files.js';
import { analyseFile, firstAdded, firstRemoved, identifiersOf } from '../analysis/file-analysis.js';
import type { Span } from '../analysis/facts.js';
import { describeEra, inferEra, type Era, type Version } from '../analysis/kernel-era.js';
import { cParser } from '../c-parse/c-parser.js';
import { applyConfig, rulesOff, type ProjectConfig } from '../config/project-config.js';
import { postImageLineAt, targetPath, type FileDiff, type Patch } from '../input/patch-model.js';
import { InputError, readInput } from '../input/read-input.js';
import { RULES } from '../rules/index.js';
import { toSuggestion } from './suggestions.js';
import { applyHunks } from '../tree/apply-hunks.js';
import { newStats, type LintStats, type TreeContext } from './lint-model.js';
import { isCandidate } from '../rules/rule-tokens.js';
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
}

export { newStats, treeContext, type LintStats, type Note, type TreeContext } from './lint-model.js';

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
    for (const file of patch.files) {
      const path = targetPath(file);
      const whole = options.tree && file.status !== 'binary' ? inTree(options.tree, patch, file, path) : undefined;
      if (file.status === 'binary' || file.status === 'deleted' || !isCSource(path)) continue;
      stats.files++;
      const applicable = rulesFor(rules, path, whole ?? file);
      if (applicable.length === 0) { stats.filesSkipped++; continue; }
      parser ??= await cParser();
      const analysis = analyseFile(parser, patch, whole ?? file, path, !!whole);
      stats.fragments += analysis.post.fragments + analysis.pre.fragments;
      stats.fragmentsWithErrors += analysis.post.fragmentsWithErrors + analysis.pre.fragmentsWithErrors;
      stats.errorNodes += analysis.post.errorNodes + analysis.pre.errorNodes;
      const context = { patch, file: analysis, era, functions: analysis.post.functions };
      const seen = new Set<string>();
      const ofFile: Finding[] = [];
      for (const rule of applicable) {
        for (const report of rule.check(context)) {
          const finding = toFinding(rule, report, patch, file, whole ?? file, path, era);
          if (!finding) continue;
          const key = `${finding.rule}:${finding.line}`;
          if (seen.has(key)) continue;
          seen.add(key);
          ofFile.push(finding);
        }
      }
      findings.push(...ofFile.sort((a, b) => a.line - b.line || a.column - b.column));
    }
  }
  return findings;
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
  const applied = applyHunks(pre, file);
  if (!applied.ok) {
    note(`does not apply to the ${tree.source.label} (${applied.reason}); its hunks were analysed as fragments`);
    return undefined;
  }
  if (file.status === 'renamed') tree.overlay.set(file.oldPath, '');
  tree.overlay.set(path, file.status === 'deleted' ? '' : applied.postImage);
  return applied.file;
}

/** Rules that apply to a file: not exempt as core code, and its lines hold the rule's tokens (a trigger and every `requires` group). */
function rulesFor(rules: readonly Rule[], path: string, file: FileDiff): Rule[] {
  const core = isCoreFile(path);
  const candidates = rules.filter((r) => !core || r.meta.checksCoreFiles);
  if (candidates.length === 0) return [];
  const ids = identifiersOf([file], '+- ');
  return candidates.filter((r) => isCandidate(r.meta, ids, path));
}

/** `file` is the diff as read (for edits of the patch), `analysed` what the rules saw (whole file in a tree). */
function toFinding(rule: Rule, report: RuleReport, patch: Patch, file: FileDiff, analysed: FileDiff, path: string, era: Era): Finding | undefined {
  const at = report.removed ? firstRemoved(report.span) : firstAdded(report.span);
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
    ...(report.suggestion ? { suggestion: toSuggestion(patch, file, report.suggestion) } : {}),
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
    const reversed = await lintPatches([reversePatch(patch)], { ...options, tree: undefined }, newStats());
    repairs.push(...repairsOf(patch, forward, reversed));
  }
  return { findings, repairs };
}
