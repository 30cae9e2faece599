import { createHash } from 'node:crypto';
import type { Parser } from 'web-tree-sitter';
import { isCoreFile, isCSource, isTestCode } from '../analysis/core-files.js';
import { isCoreIteratorCopy } from '../analysis/core-iterator.js';
import {
  analyseFile, checkingShownContext, firstAdded, firstRemoved, firstShownContext, identifiersOf, type FileAnalysis,
} from '../analysis/file-analysis.js';
import { PatchFlow } from '../analysis/value-flow.js';
import type { FunctionFacts, Span } from '../analysis/facts.js';
import { describeEra, resolveEra, type Era, type EraClaim, type Version } from '../analysis/kernel-era.js';
import { definedIdentifiers, inSeries, mailClaims, mailDate } from '../analysis/mail-era.js';
import { cParser } from '../c-parse/c-parser.js';
import { applyConfig, rulesOff, type ProjectConfig } from '../config/project-config.js';
import { postImageLineAt, targetPath, type FileDiff, type Patch } from '../input/patch-model.js';
import { InputError, readInput } from '../input/read-input.js';
import { RULES } from '../rules/index.js';
import { toSuggestion } from './suggestions.js';
import { applyHunks } from '../tree/apply-hunks.js';
import { isCandidate } from '../rules/rule-tokens.js';
import { loreUrl, type Finding, type Repair, type Rule, type RuleReport } from '../rules/rule.js';
import { repairsOf, reversePatch } from './repairs.js';
import { forgetFacts, keepingFacts } from '../analysis/fact-memo.js';

export interface LintOptions {
  /** Rule ids to run (all when empty). */
  rules?: readonly string[];
  /** Rule ids not to run. */
  ignore?: readonly string[];
  /** Target kernel, when the user knows it. */
  kernelVersion?: Version;
  /** The tree the patches apply to: whole files instead of hunk fragments. */
  tree?: TreeContext;
  /** What earlier mails of a run said of their base, for the later mails of their series. */
  eraMemory?: EraMemory;
  /**
   * Also report what the rules find on context lines the patch shows but does not add, marked
   * `preexisting` (b4 review: a reviewer sees them, they do not count against the patch).
   */
  preexisting?: boolean;
  /** The era already resolved (resolveEras: a worker of the mail pool); eraMemory is not read then. */
  era?: Era;
}

export {
  newEraMemory, newStats, treeContext, type EraMemory, type LintStats, type Note, type TreeContext,
} from './lint-model.js';
import { newEraMemory, newStats, type EraMemory, type LintStats, type Note, type TreeContext } from './lint-model.js';

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
  const memory = options.eraMemory ?? newEraMemory();
  let parser: Parser | undefined;
  for (const patch of patches) {
    stats.patches++;
    const wholes = new Map<FileDiff, FileDiff | undefined>();
    let applies = !!options.tree && patch.files.some((f) => f.hunks.length > 0);
    for (const file of patch.files) {
      if (!options.tree || file.status === 'binary') continue;
      const whole = inTree(options.tree, patch, file, targetPath(file));
      wholes.set(file, whole);
      if (!whole && file.hunks.length > 0) { applies = false; stats.notApplied = (stats.notApplied ?? 0) + 1; }
    }
    const eraNow = options.era ? () => options.era! : eraResolver(patch, options, memory, applies);
    // Phase 1: which files each rule wants. A rule that wants one C file of a patch sees all of
    // them, since values flow between the files of one patch (summaries, fields).
    const units: { file: FileDiff; whole?: FileDiff; path: string; rules: Rule[] }[] = [];
    const cFiles = patchCFiles(patch, wholes);
    const wanted = new Set<Rule>();
    for (const file of patch.files) {
      const path = targetPath(file);
      const whole = wholes.get(file);
      if (file.status === 'binary' || file.status === 'deleted' || !isCSource(path)) continue;
      stats.files++;
      if (isTestCode(path, identifiersOf([whole ?? file], '+ '))) { stats.filesSkipped++; continue; }
      // candidates by the patch's identifiers: values flow between the files of one patch
      const own = rulesFor(rules, path, cFiles);
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
    // tree mode compares with the hunks alone, read as one patch too (values flow between its files)
    const fragmentFlow = new PatchFlow();
    const fragmentAnalyses = new Map<FileDiff, FileAnalysis>();
    if (options.tree && patch.kind !== 'c-file' && analysed.some((a) => a.unit.whole)) {
      for (const { unit } of analysed) fragmentAnalyses.set(unit.file, analyseFile(parser!, patch, unit.file, unit.path, false, fragmentFlow));
      fragmentFlow.finish();
    }
    const ofPatch: Finding[] = [];
    for (const { unit, analysis } of analysed) {
      const { file, whole, path, rules: applicable } = unit;
      const ofFile = runRules(applicable, patch, file, whole ?? file, analysis, path, eraNow(), whole ? statedLines(file, whole) : undefined, options.preexisting);
      if (whole && options.tree && patch.kind !== 'c-file') { // a C file is whole already: nothing to compare
        // the comparison runs see this file alone (a fresh flow): what the tree context changes
        const run = (text: FileDiff, inTree: boolean) =>
          runRules(applicable, patch, file, text, analyseFile(parser!, patch, text, path, inTree), path, eraNow(), inTree ? statedLines(file, text) : undefined);
        const fragments = runRules(applicable, patch, file, file, fragmentAnalyses.get(file)!, path, eraNow());
        const functions = analysis.post.functions;
        const rerun = (blank: ReadonlySet<number>) => run(blanked(whole, blank), true);
        ofFile.push(...kept(fragments, ofFile, whole, functions, path, rerun,
          (lost, fact) => {
            stats.treeRemoved = (stats.treeRemoved ?? 0) + 1;
            options.tree!.notes.push({
              input: patch.input, mail: patch.mailIndex, path, kind: 'tree-removed',
              message: `tree context removed ${lost.rule} at line ${lost.line}: ${fact}`,
              removed: { rule: lost.rule, line: lost.line, patchLine: lost.patchLine, message: lost.message, fact },
            });
          }, () => { stats.treeKept = (stats.treeKept ?? 0) + 1; }));
      }
      ofPatch.push(...oneFindingPerDefect(ofFile).sort((a, b) => a.line - b.line || a.column - b.column));
    }
    // a wrapper's callers decide (spec, one finding per defect: role `wrapper`): the body of a
    // wrapper the patch inlines at its calls has no finding of its own; each call has its verdict
    findings.push(...ofPatch.filter((f) => !(f.function && flow.inlinedInto.has(f.function))));
  }
  return findings;
}

function runRules(rules: readonly Rule[], patch: Patch, file: FileDiff, analysed: FileDiff, analysis: ReturnType<typeof analyseFile>,
  path: string, era: Era, lineOf?: (treeLine: number) => number, preexisting = false): Finding[] {
  const context = { patch, file: analysis, era, functions: analysis.post.functions };
  const seen = new Set<string>();
  const out: Finding[] = [];
  // global trap 1: copies of the block-core iterators are core code for the rules exempt there
  const copies = analysis.post.functions.filter((fn) => isCoreIteratorCopy(path, fn));
  const inCopy = (r: RuleReport) => copies.some((fn) => (fn.name !== '' && r.function === fn.name) || fn.span.lines.includes(r.span.lines[0]!));
  for (const rule of rules) {
    const check = () => rule.check(context).filter((r) => rule.meta.checksCoreFiles || !inCopy(r));
    // the rules' own view first (added lines); then, for b4 review, a second look with the context
    // lines the patch shows counted too: what it finds in a function the first left alone is pre-existing
    const reports = check();
    const older = preexisting
      ? checkingShownContext(check).filter((r) => !r.removed && !reports.some((n) => n.function === r.function))
      : [];
    for (const report of [...reports, ...older]) {
      const finding = toFinding(rule, report, patch, file, analysed, path, era, lineOf, older.includes(report));
      if (!finding) continue;
      const key = `${finding.rule}:${finding.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(finding);
    }
  }
  return out;
}

/**
 * Tree mode never loses what the hunks alone show, unless the tree explains it. A fragment finding
 * that the whole file does not give is looked for once more with only the functions the patch
 * touches in full (every other function body blanked): found there, the fact that removed it sits
 * in another function, which proves nothing about this path, and the finding stays (`onKept`).
 * Not found there either, a fact in the function around it (a guard, a capability check, a
 * cleared source) explains it: it goes, and `onRemoved` names the tree line that did it. A
 * finding outside every function the tree's parse recognised stays as the hunk showed it.
 */
function kept(fragments: readonly Finding[], inTree: readonly Finding[], whole: FileDiff, functions: readonly FunctionFacts[], path: string,
  rerun: (blank: ReadonlySet<number>) => Finding[], onRemoved: (lost: Finding, fact: string) => void, onKept: () => void): Finding[] {
  const same = (a: Finding, b: Finding) => a.rule === b.rule && a.line === b.line;
  const lost = fragments.filter((f) => !inTree.some((t) => same(t, f)));
  if (lost.length === 0) return [];
  const walk = whole.hunks[0]?.lines ?? [];
  const untouched = new Set<number>();
  for (const fn of functions) {
    const range = fn.name === '' ? undefined : newLineRange(fn);
    if (!range) continue;
    const inside = walk.filter((l) => l.newLine !== undefined && l.newLine >= range[0] && l.newLine <= range[1]);
    if (inside.some((l) => l.patchLine > 0)) continue;
    const open = inside.findIndex((l) => l.text.includes('{'));
    if (open >= 0) for (const l of inside.slice(open + 1, -1)) untouched.add(l.newLine!);
  }
  const narrow = rerun(untouched);
  const back: Finding[] = [];
  for (const f of lost) {
    const again = narrow.find((n) => same(n, f));
    if (again) { back.push(again); onKept(); continue; }
    const at = walk.find((l) => l.patchLine === f.patchLine)?.newLine;
    const fn = at === undefined ? undefined : functions.find((g) => {
      const range = g.name === '' ? undefined : newLineRange(g);
      return range && range[0] <= at && at <= range[1];
    });
    const range = fn ? newLineRange(fn) : undefined;
    // outside any function the tree's parse recognised, the tree cannot explain it: keep it as the hunk showed it
    if (!fn || !range) { back.push(f); onKept(); continue; }
    const treeLines = walk.filter((l) => l.patchLine === 0 && l.newLine !== undefined && l.newLine >= range[0] && l.newLine <= range[1] && l.text.trim() !== '');
    const returns = (blank: readonly number[]) => rerun(new Set([...untouched, ...blank])).some((n) => same(n, f));
    const candidates = treeLines.map((l) => l.newLine!);
    if (!returns(candidates)) {
      onRemoved(f, `declarations of ${path} in the tree outside ${fn.name}() (its own lines outside the hunk do not explain it)`);
      continue;
    }
    const culprit = pinpoint(candidates, returns);
    const line = culprit === undefined ? undefined : walk.find((l) => l.newLine === culprit);
    onRemoved(f, line
      ? `"${line.text.trim().slice(0, 80)}" at line ${culprit} of ${path} in the tree, in ${fn.name}() outside the hunk`
      : `${fn.name}() outside the hunk (lines ${range[0]}-${range[1]} of ${path} in the tree, more than one line together)`);
  }
  return back;
}

/**
 * The one line among `candidates` (all of which, blanked, bring the finding back) whose blanking
 * alone brings it back (`back(blank)`), by halving: at most a dozen reruns. Undefined when no single line does it (two facts together, or
 * one the blanking cannot take out).
 */
function pinpoint(candidates: readonly number[], back: (blank: readonly number[]) => boolean): number | undefined {
  let set = candidates;
  for (let runs = 0; set.length > 1 && runs < 12; runs++) {
    const half = set.slice(0, Math.ceil(set.length / 2));
    if (back(half)) set = half;
    else {
      const rest = set.slice(half.length);
      if (!back(rest)) return undefined;
      set = rest;
    }
  }
  return set.length === 1 ? set[0] : undefined;
}

function newLineRange(fn: FunctionFacts): [number, number] | undefined {
  const lines = fn.span.lines.map((l) => l.newLine).filter((n): n is number => n !== undefined);
  return lines.length ? [Math.min(...lines), Math.max(...lines)] : undefined;
}

/** The whole file with these tree lines (by post-image line) emptied, line numbers kept. */
function blanked(whole: FileDiff, blank: ReadonlySet<number>): FileDiff {
  const lines = whole.hunks[0]!.lines.map((l) => (l.patchLine === 0 && l.newLine !== undefined && blank.has(l.newLine) ? { ...l, text: '' } : l));
  return { ...whole, hunks: [{ ...whole.hunks[0]!, lines }] };
}

/**
 * In tree mode a finding names the line the patch itself states (its hunk header), as the
 * fragment analysis does, even when the patch applied to the tree at an offset; tree lines between
 * hunks shift with the patch line before them.
 */
function statedLines(file: FileDiff, whole: FileDiff): (treeLine: number) => number {
  const stated = new Map<number, number>();
  for (const h of file.hunks) for (const l of h.lines) if (l.newLine !== undefined) stated.set(l.patchLine, l.newLine);
  const shifts: [number, number][] = [];
  for (const l of whole.hunks[0]?.lines ?? []) {
    if (l.patchLine > 0 && l.newLine !== undefined && stated.has(l.patchLine)) shifts.push([l.newLine, stated.get(l.patchLine)! - l.newLine]);
  }
  return (treeLine) => {
    let shift = shifts[0]?.[1] ?? 0;
    for (const [at, d] of shifts) { if (at > treeLine) break; shift = d; }
    return treeLine + shift;
  };
}

/**
 * The era of one patch: --kernel-version; the mail's base (its own, or its series' cover letter);
 * the tree's Makefile when the patch applies to it; kept and removed identifiers; the Date; added
 * uses, unless the patch or its series defines them.
 */
export function eraOf(patch: Patch, options: LintOptions, memory: EraMemory, applies: boolean): Era {
  return eraResolver(patch, options, memory, applies)();
}

/**
 * eraOf in two steps: what the patch tells later mails of its series (its claims and definitions)
 * is recorded in `memory` at once, in input order; the era itself, which tokenises every line of
 * the patch, is worked out when the thunk is first called: lintPatches calls it only when a rule
 * runs on one of the patch's files, before it reads the next patch.
 */
export function eraResolver(patch: Patch, options: LintOptions, memory: EraMemory, applies: boolean): () => Era {
  const tree = options.tree?.source;
  const own = mailClaims(patch, tree?.baseVersion?.bind(tree));
  if (patch.messageId && !memory.frozen) memory.claims.set(patch.messageId, own);
  const ancestors = [...(patch.references ?? []), ...(patch.inReplyTo ? [patch.inReplyTo] : [])];
  const inherited = ancestors.flatMap((id) => memory.claims.get(id) ?? [])
    .map((c) => ({ ...c, evidence: c.evidence.map((e) => e.replace(/ in the mail$/, ' in the series')) }));
  const mail = [...own, ...inherited].sort((a, b) => Number(b.sure) - Number(a.sure));
  const key = patch.references?.[0] ?? patch.inReplyTo ?? patch.messageId ?? patch.input;
  const recorded = memory.defined.get(key) ?? new Set<string>();
  const defined = memory.frozen ? new Set(recorded) : recorded;
  if (!memory.frozen) memory.defined.set(key, defined);
  // the same mail read again (a series given as .mbx and .mbox.gz in one run) sees what its series
  // had defined when it was first read, not what its own later patches define
  const firstSeen = patch.messageId ? memory.seen?.get(patch.messageId) : undefined;
  const seriesDefined = new Set(firstSeen ?? defined);
  if (patch.messageId && !firstSeen && !memory.frozen) (memory.seen ??= new Map()).set(patch.messageId, seriesDefined);
  for (const id of definedIdentifiers(patch.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === '+').map((l) => l.text))))) defined.add(id);
  const version = applies ? tree?.kernelVersion() : undefined;
  // what the series had defined up to this patch, whatever later patches record meanwhile
  const definedSoFar = memory.frozen ? defined : new Set(defined);
  let era: Era | undefined;
  return () => era ??= resolveEra({
    given: options.kernelVersion,
    mail,
    tree: version !== undefined ? { version, label: tree!.label } : undefined,
    // what earlier mails of the series defined is in this mail's context, but not in any release yet
    preImage: new Set([...identifiersOf(patch.files, '- ')].filter((id) => !seriesDefined.has(id))),
    added: identifiersOf(patch.files, '+'),
    defined: definedSoFar,
    addedUsesSure: patch.kind !== 'mail' || !inSeries(patch.subject),
    date: options.tree?.ownHistory ? undefined : mailDate(patch.date),
  });
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

/** Rules that take over any other rule's finding on their line, with the higher severity (R19: the migration rewrites the line anyway). */
const ABSORBS_ANY: readonly string[] = ['R19'];
const RANK = { info: 0, warning: 1, error: 2 } as const;

export function oneFindingPerDefect(findings: Finding[]): Finding[] {
  return findings.filter((f) => {
    const onLine = (rule: string) => findings.find((g) => g.rule === rule && g.path === f.path && g.line === f.line);
    const absorber = ABSORBS_ANY.includes(f.rule) ? undefined : ABSORBS_ANY.map(onLine).find(Boolean);
    const winner = absorber ?? (YIELDS_TO[f.rule] ?? []).map(onLine).find(Boolean);
    if (!winner) return true;
    if (absorber && RANK[f.severity] > RANK[winner.severity]) winner.severity = f.severity;
    if (!winner.also?.includes(f.rule)) winner.also = [...(winner.also ?? []), f.rule];
    return false;
  });
}

/**
 * The file with the patch applied to its tree pre-image (and the tree's overlay updated), or
 * undefined, with a note, when it does not apply: then the hunks are analysed as fragments. A
 * file an earlier patch changed is tried as that patch left it, then as the tree has it (patches
 * given together need not be one series).
 */
function inTree(tree: TreeContext, patch: Patch, file: FileDiff, path: string): FileDiff | undefined {
  const note = (message: string) => { tree.notes.push({ input: patch.input, mail: patch.mailIndex, path, message, kind: 'not-applied' }); };
  const fromTree = file.status === 'added' ? '' : tree.source.read(file.oldPath);
  const fromOverlay = file.status === 'added' ? undefined : tree.overlay.get(file.oldPath);
  const pre = fromOverlay ?? fromTree;
  if (pre === undefined) {
    note(`${file.oldPath} is not in the ${tree.source.label}; its hunks were analysed as fragments`);
    return undefined;
  }
  let applied = applyHunks(pre, file);
  if (!applied.ok && fromOverlay !== undefined && fromTree !== undefined) {
    const again = applyHunks(fromTree, file);
    if (again.ok) applied = again;
  }
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

/** Rules that apply to a file: not exempt as core code, and its lines hold the rule's tokens (a trigger and every `requires` group). */
/** The C files of a patch, whole where the tree gave them. */
function patchCFiles(patch: Patch, wholes: ReadonlyMap<FileDiff, FileDiff | undefined>): FileDiff[] {
  return patch.files.filter((f) => isCSource(targetPath(f))).map((f) => wholes.get(f) ?? f);
}

function rulesFor(rules: readonly Rule[], path: string, files: readonly FileDiff[]): Rule[] {
  const core = isCoreFile(path);
  const candidates = rules.filter((r) => !core || r.meta.checksCoreFiles);
  if (candidates.length === 0) return [];
  const ids = identifiersOf(files, '+- ');
  return candidates.filter((r) => isCandidate(r.meta, ids, path));
}

/** `file` is the diff as read (for edits of the patch), `analysed` what the rules saw (whole file in a tree). */
function toFinding(rule: Rule, report: RuleReport, patch: Patch, file: FileDiff, analysed: FileDiff, path: string, era: Era,
  lineOf: (treeLine: number) => number = (n) => n, preexisting = false): Finding | undefined {
  let at = report.removed ? firstRemoved(report.span) : firstAdded(report.span);
  // `preexisting`: a report of the second look, kept only on a context line the patch shows
  const old = preexisting ? (at ? undefined : firstShownContext(report.span)) : undefined;
  if (preexisting && !old) return undefined; // the second look only adds pre-existing findings
  at ??= old;
  const treeLine = report.removed && at ? postImageLineAt(analysed, at.line) : at?.line.newLine;
  if (!at || treeLine === undefined) return undefined;
  const line = lineOf(treeLine); // removed and context lines never fire, unless the rule is about a removal
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
    related: (report.related ?? []).flatMap((r) => related(r.span, r.message, path, lineOf)),
    fingerprint: fingerprint(meta.id, path, report.function, at.line.text),
    ...(report.suggestion && !old ? { suggestion: toSuggestion(patch, file, report.suggestion) } : {}),
    ...(old ? { preexisting: true } : {}),
  };
}

function related(span: Span, message: string, path: string, lineOf: (treeLine: number) => number): Finding['related'] {
  const line = span.lines[0];
  if (!line) return [];
  return [{ path, line: line.newLine !== undefined ? lineOf(line.newLine) : line.oldLine ?? 0, patchLine: line.patchLine, message }];
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
    problems: patches.flatMap((p) => [...p.problems, ...(p.notices ?? [])]),
  };
}

export interface CheckResult {
  findings: Finding[];
  repairs: Repair[];
}

/** checkPatches runs a patch reversed too (repairs) when it removes lines. */
function hasRemovals(patch: Patch): boolean {
  return patch.kind !== 'c-file' && patch.files.some((f) => f.hunks.some((h) => h.lines.some((l) => l.kind === '-')));
}

/** The eras checkPatches gives a patch's forward and reversed runs. */
export interface PatchEras {
  forward: Era;
  reversed?: Era;
}

/**
 * The eras checkPatches would resolve for `patches`, in its order, recording into the run's era
 * memory as it does: the mail pool's main thread resolves them in input order, so that a worker
 * checks a mail with the era evidence of its series whichever worker saw the series' other mails.
 * Tree mode (whose era reads the tree's overlay) is not for the pool.
 */
export function resolveEras(patches: readonly Patch[], options: LintOptions): PatchEras[] {
  const memory = options.eraMemory ?? newEraMemory();
  return patches.map((patch) => ({
    forward: eraOf(patch, options, memory, false),
    ...(hasRemovals(patch) ? { reversed: eraOf(reversePatch(patch), { ...options, tree: undefined }, { ...memory, frozen: true }, false) } : {}),
  }));
}

/** Findings, and the repairs: risky patterns of the removed lines that the added lines drop. */
export async function checkPatches(patches: readonly Patch[], given: LintOptions = {}, stats = newStats(), eras?: readonly PatchEras[]): Promise<CheckResult> {
  const options = given.eraMemory ? given : { ...given, eraMemory: newEraMemory() };
  const findings: Finding[] = [];
  const repairs: Repair[] = [];
  for (const [i, patch] of patches.entries()) {
    const reverses = hasRemovals(patch);
    // the reversed run parses the forward pre-image again as its post-image: the forward run keeps its facts (fact-memo.ts)
    const forwardRun = () => lintPatches([patch], eras ? { ...options, era: eras[i]!.forward } : options, stats);
    const forward = reverses ? await keepingFacts(forwardRun) : await forwardRun();
    findings.push(...forward);
    if (!reverses) continue;
    // the reversed patch is read as fragments: it must not rewind the tree overlay of a series
    let reversed: Finding[];
    try {
      reversed = await lintPatches([reversePatch(patch)],
        { ...options, tree: undefined, preexisting: false, eraMemory: { ...options.eraMemory!, frozen: true }, era: eras?.[i]!.reversed }, newStats());
    } finally {
      forgetFacts();
    }
    repairs.push(...repairsOf(patch, forward.filter((f) => !f.preexisting), reversed));
  }
  return { findings, repairs };
}
