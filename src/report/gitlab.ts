import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../rules/rule.js';

const SEVERITY: Record<Severity, string> = { error: 'critical', warning: 'major', info: 'info' };

/**
 * GitLab Code Quality: an array of issues with a fingerprint each. GitLab shows one issue per
 * fingerprint, so it is unique per finding and input: the finding's own fingerprint (rule, path,
 * function, flagged text) with the input, the mail of an mbox, and the occurrence count when the
 * same text is flagged twice there.
 */
export function formatGitlab(findings: readonly Finding[]): string {
  const seen = new Map<string, number>();
  return `${JSON.stringify(findings.map((f) => {
    const key = `${f.fingerprint}\0${f.input}\0${f.mail}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return {
      description: `${f.rule} ${f.slug}: ${f.message}`,
      check_name: f.rule,
      fingerprint: createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32),
      severity: SEVERITY[f.severity],
      location: { path: f.path, lines: { begin: f.line } },
      content: { body: `${f.message}\n\nFix: ${f.fix}\n\n${f.references.join('\n')}` },
    };
  }), null, 2)}\n`;
}
