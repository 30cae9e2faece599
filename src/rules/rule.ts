import type { FileAnalysis } from '../analysis/file-analysis.js';
import type { FunctionFacts, Span } from '../analysis/facts.js';
import type { Era } from '../analysis/kernel-era.js';
import type { DiffLine, Patch } from '../input/patch-model.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Reference {
  /** Message-Id without angle brackets; https://lore.kernel.org/r/<id> opens it. */
  messageId: string;
  title: string;
}

/** A rule's metadata, as ESLint keeps it in `meta`: everything but the check. */
export interface RuleMeta {
  id: string;
  slug: string;
  name: string;
  defaultSeverity: Severity;
  /** Kernel versions the rule applies to, in words. */
  versions: string;
  summary: string;
  why: string;
  firesWhen: string[];
  mustNotFire: string[];
  fix: string;
  references: Reference[];
  /** Identifiers of which at least one must occur in a file for the rule to look at it. */
  triggers: string[];
  /**
   * Spatch-style token groups (AND of OR-groups): a file is a candidate for the rule only when
   * its lines hold a trigger and one identifier of every group. From rule-tokens.ts for now.
   */
  requires?: readonly (readonly string[])[];
  /** Paths where `requires` does not apply. */
  requiresExempt?: RegExp;
  /** The rule also applies to the core implementations of global trap 1. */
  checksCoreFiles?: boolean;
  /**
   * Short C examples for --explain, the rule pages and the README: statements of one function body,
   * one that fires and one that does not; `path` is the file they are checked as (a driver by default).
   */
  examples?: { fires: string; quiet: string; path?: string };
}

export interface RelatedLocation {
  span: Span;
  message: string;
}

/** A mechanical fix: these added lines (contiguous, in order) become `lines`. */
export interface RuleSuggestion {
  title: string;
  replace: DiffLine[];
  lines: string[];
}

export interface RuleReport {
  span: Span;
  message: string;
  severity?: Severity;
  related?: RelatedLocation[];
  function?: string;
  /** States the kernel-version assumption behind the finding. */
  era?: string;
  suggestion?: RuleSuggestion;
  /**
   * The finding is about what the patch removes (R11's removed GUP guard, the one rule that says
   * so): it is placed on the first removed line of `span`, at the post-image line where the
   * removal happened.
   */
  removed?: boolean;
}

/** Lines of the input file to replace (1-based, inclusive), with what they must hold before. */
export interface TextEdit {
  startLine: number;
  endLine: number;
  expected: string[];
  newLines: string[];
}

export interface Suggestion {
  title: string;
  edits: TextEdit[];
}

export interface RuleContext {
  patch: Patch;
  file: FileAnalysis;
  era: Era;
  /** Post-image functions of the file. */
  functions: readonly FunctionFacts[];
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): RuleReport[];
}

export interface Finding {
  rule: string;
  slug: string;
  severity: Severity;
  message: string;
  input: string;
  mail: number;
  subject: string;
  messageId?: string;
  /** 1-based line in the input file. */
  patchLine: number;
  /** Target path in the tree, without a/ or b/. */
  path: string;
  /** Post-image line in the target file. */
  line: number;
  column: number;
  function?: string;
  fix: string;
  references: string[];
  /** The kernel-version assumption the finding made. */
  era?: string;
  related: { path: string; line: number; patchLine: number; message: string }[];
  /** Stable across line shifts: rule, path, function and the flagged line's text. */
  fingerprint: string;
  /** A mechanical fix, as edits of the input file (the hunk header included). */
  suggestion?: Suggestion;
  /** Other rules that saw the same defect at the same line (one finding per defect): named, not repeated. */
  also?: string[];
  /** On code the patch shows as context but does not add (only with LintOptions.preexisting). */
  preexisting?: boolean;
}

/** A risky pattern that the patch removes (stable-backport triage), not a finding. */
export interface Repair {
  rule: string;
  slug: string;
  input: string;
  mail: number;
  subject: string;
  messageId?: string;
  path: string;
  /** Post-image line where the removed code stood. */
  line: number;
  /** Pre-image line of the removed code. */
  oldLine: number;
  patchLine: number;
  function?: string;
  message: string;
}

export function loreUrl(messageId: string): string {
  return `https://lore.kernel.org/r/${messageId.replace(/^<|>$/g, '')}`;
}
