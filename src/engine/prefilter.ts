import { isCoreFile, isCSource } from '../analysis/core-files.js';
import type { FileDiff, Patch } from '../input/patch-model.js';
import { isCandidate, RULE_IDS, RULE_TOKENS } from '../rules/rule-tokens.js';

/**
 * The pre-filter, without the rules: which rules a file is a candidate for, from the identifiers
 * on its lines and the rules' token groups (rule-tokens.ts). It loads nothing but the token table,
 * so the CLI asks it before it loads the parser, the rules or the analysis: a patch that is no
 * candidate for any rule is done once it is read.
 */

export interface RuleSelection {
  /** Rule ids or slugs to run (all when empty). */
  rules?: readonly string[];
  /** Rule ids or slugs not to run. */
  ignore?: readonly string[];
}

/** The ids of the rules selected by --rules/--ignore, in catalogue order (selectRules without the rules). */
export function selectRuleIds(options: RuleSelection): string[] {
  const wanted = new Set((options.rules ?? []).map((r) => r.toUpperCase()));
  const ignored = new Set((options.ignore ?? []).map((r) => r.toUpperCase()));
  const named = (id: string, set: Set<string>) => set.has(id) || set.has(RULE_TOKENS[id]!.slug.toUpperCase());
  return RULE_IDS.filter((id) => (wanted.size === 0 || named(id, wanted)) && !named(id, ignored));
}

/** A rule id or slug of the catalogue. */
export function isRuleName(name: string): boolean {
  const upper = name.toUpperCase();
  return RULE_IDS.some((id) => id === upper || RULE_TOKENS[id]!.slug === name.toLowerCase());
}

const IDENTIFIER = /[A-Za-z_]\w*/g;

/** The identifiers of a file's lines of these kinds (as lintPatches tokenises them). */
export function fileIdentifiers(file: FileDiff, kinds = '+- '): Set<string> {
  const ids = new Set<string>();
  for (const h of file.hunks) for (const l of h.lines) {
    if (kinds.includes(l.kind)) for (const id of l.text.match(IDENTIFIER) ?? []) ids.add(id);
  }
  return ids;
}

/** The selected rules that apply to `path` (core files meet only the rules that check them) and whose tokens `ids` hold. */
export function candidateRuleIds(ruleIds: readonly string[], path: string, ids: ReadonlySet<string>): string[] {
  const core = isCoreFile(path);
  return ruleIds.filter((id) => {
    const tokens = RULE_TOKENS[id]!;
    return (!core || tokens.checksCoreFiles) && isCandidate(tokens, ids, path);
  });
}

/**
 * Whether checkPatches could report anything for these patches, forward or reversed (repairs):
 * false when no C file of them is a candidate for a selected rule, under its old or its new path.
 */
export function mayReport(patches: readonly Patch[], ruleIds: readonly string[]): boolean {
  if (ruleIds.length === 0) return false;
  return patches.some((patch) => patch.files.some((file) => {
    if (file.status === 'binary') return false;
    const paths = [file.newPath, file.oldPath].filter((p) => p !== '/dev/null' && isCSource(p));
    if (paths.length === 0) return false;
    const ids = fileIdentifiers(file);
    return paths.some((p) => candidateRuleIds(ruleIds, p, ids).length > 0);
  }));
}

/** What lintPatches counts for patches that the pre-filter drops whole (none of their C files is parsed). */
export function countSkipped(patches: readonly Patch[], stats: { patches: number; files: number; filesSkipped: number }): void {
  for (const patch of patches) {
    stats.patches++;
    for (const file of patch.files) {
      const path = file.newPath === '/dev/null' ? file.oldPath : file.newPath;
      if (file.status === 'binary' || file.status === 'deleted' || !isCSource(path)) continue;
      stats.files++;
      stats.filesSkipped++;
    }
  }
}

/**
 * The pre-filter on a C file's raw text, for directory scans: true when the text is a candidate
 * for a selected rule. Exact for the tokeniser above: `\b\d*` because /[A-Za-z_]\w* /g finds the
 * identifier "ioremap" in "1ioremap".
 */
export function textFilter(ruleIds: readonly string[]): (path: string, text: string) => boolean {
  const all = textMatcher(ruleIds);
  const core = textMatcher(ruleIds.filter((id) => RULE_TOKENS[id]!.checksCoreFiles));
  return (path, text) => (isCoreFile(path) ? core : all)(text, path);
}

function textMatcher(ruleIds: readonly string[]): (text: string, path: string) => boolean {
  if (ruleIds.length === 0) return () => false;
  const rules = ruleIds.map((id) => RULE_TOKENS[id]!);
  const pattern = (ids: Iterable<string>, flags: string) =>
    new RegExp(`\\b\\d*(${[...new Set(ids)].map((id) => id.replace(/\W/g, '\\$&')).join('|')})\\b`, flags);
  const anyTrigger = pattern(rules.flatMap((r) => r.triggers), '');
  if (rules.every((r) => !r.requires?.length)) return (text) => anyTrigger.test(text);
  const anyToken = pattern(rules.flatMap((r) => [...r.triggers, ...(r.requires ?? []).flat()]), 'g');
  return (text, path) => {
    if (!anyTrigger.test(text)) return false;
    const found = new Set<string>();
    for (const m of text.matchAll(anyToken)) found.add(m[1]!);
    return rules.some((r) => isCandidate(r, found, path));
  };
}

/**
 * The pre-filter on a mail's raw text, before it is decoded: true when the text names no trigger
 * of a selected rule, so that no file of it can be a candidate (a plain mail's body is its raw
 * text; plainMailBody reads no other kind).
 */
export function rawTextCannotReport(ruleIds: readonly string[]): (text: string) => boolean {
  const triggers = [...new Set(ruleIds.flatMap((id) => RULE_TOKENS[id]!.triggers))];
  if (triggers.length === 0) return () => true;
  const pattern = new RegExp(`(?:${triggers.map((id) => id.replace(/\W/g, '\\$&')).join('|')})`);
  return (text) => !pattern.test(text);
}
