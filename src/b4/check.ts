import type { InputProblem } from '../report/report.js';
import type { Finding, Severity } from '../rules/rule.js';

/** checkpatch's words: b4 fails a check on a line with `ERROR:` and warns on any other line. */
const LEVEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'CHECK' };

/**
 * `--format b4`: the per-patch check of b4 0.14+ (`b4.am-perpatch-check-cmd`,
 * `b4.prep-perpatch-check-cmd`). b4 runs the command with one patch on standard input, prefixes
 * every output line with the command's name, fails the patch on a stdout line holding `ERROR:` and
 * on **any** stderr line, warns on other stdout lines, and passes when there is no output. So:
 * one stdout line per finding at the target file's position, nothing else on stdout (no notes: a
 * patch that does not apply to the checked-out tree is checked as fragments, which is no failure),
 * no `p2pcheck:` prefix (b4 adds it), and on stderr only what is a real failure (an input that
 * cannot be read).
 */
export function formatB4Check(findings: readonly Finding[]): string {
  return findings.filter((f) => !f.preexisting).map((f) => `${f.path}:${f.line}: ${LEVEL[f.severity]}: ${f.rule} ${f.slug}: ${f.message}\n`).join('');
}

/** What b4 0.14+ shows on stderr for a real failure: the message alone, b4 prefixes the command. */
export function formatB4Problems(problems: readonly InputProblem[]): string {
  return problems.map((p) => `${p.message}\n`).join('');
}

/** One result of b4 0.16's check matrix (`misc/review-ci-example.py`, parsed by `src/b4/review/checks.py`). */
export interface ReviewCheckResult {
  tool: string;
  status: 'pass' | 'warn' | 'fail';
  summary: string;
  url?: string;
  details?: string;
}

export const REVIEW_TOOL = 'p2pcheck';

/**
 * `--format b4-review`: the JSON array b4 0.16's `review-perpatch-check-cmd` and
 * `review-series-check-cmd` print, one `p2pcheck` column: `fail` for an error, `warn` for a
 * warning or information, `pass` when clean; the summary counts them, `url` opens the lore thread
 * behind the worst finding's rule, `details` lists every finding with its fix and thread. Findings
 * on code the patch shows but does not add are listed as `(pre-existing)` and never raise the
 * status, as b4 treats Sashiko's. A message without a diff (a cover letter) reports nothing (`[]`).
 */
export function reviewCheckResults(findings: readonly Finding[], problems: readonly InputProblem[], hasDiff: boolean): ReviewCheckResult[] {
  if (problems.length) {
    return [{ tool: REVIEW_TOOL, status: 'fail', summary: `could not check: ${problems[0]!.message}`, details: problems.map((p) => p.message).join('\n') }];
  }
  if (!hasDiff && findings.length === 0) return [];
  const own = findings.filter((f) => !f.preexisting);
  const old = findings.filter((f) => f.preexisting);
  const count = (s: Severity) => own.filter((f) => f.severity === s).length;
  const [errors, warnings, infos] = [count('error'), count('warning'), count('info')];
  const status = errors ? 'fail' : warnings || infos ? 'warn' : 'pass';
  const parts = [plural(errors, 'error'), plural(warnings, 'warning'), plural(infos, 'check')].filter(Boolean);
  const rules = [...new Set(own.map((f) => f.rule))];
  const summary = own.length
    ? `${parts.join(', ')} (${rules.join(', ')})`
    : old.length ? `no new P2PDMA/DMA-API findings (${old.length} pre-existing)` : 'no P2PDMA/DMA-API findings';
  const worst = [...own].sort((a, b) => rank(b.severity) - rank(a.severity))[0];
  const details = [...own, ...old].map(detail).join('\n\n');
  return [{
    tool: REVIEW_TOOL, status, summary,
    ...(worst?.references[0] ? { url: worst.references[0] } : {}),
    ...(details ? { details } : {}),
  }];
}

function detail(f: Finding): string {
  return [
    `${f.preexisting ? '(pre-existing) ' : ''}${f.path}:${f.line}: ${LEVEL[f.severity]}: ${f.rule} ${f.slug}: ${f.message}`,
    `  fix: ${f.fix}`,
    ...f.references.slice(0, 2).map((r) => `  ${r}`),
  ].join('\n');
}

function plural(n: number, word: string): string {
  return n === 0 ? '' : `${n} ${word}${n === 1 ? '' : 's'}`;
}

function rank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}
