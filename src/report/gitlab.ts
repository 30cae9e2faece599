import type { Finding, Severity } from '../rules/rule.js';

const SEVERITY: Record<Severity, string> = { error: 'critical', warning: 'major', info: 'info' };

/** GitLab Code Quality: an array of issues with a fingerprint each. */
export function formatGitlab(findings: readonly Finding[]): string {
  return `${JSON.stringify(findings.map((f) => ({
    description: `${f.rule} ${f.slug}: ${f.message}`,
    check_name: f.rule,
    fingerprint: f.fingerprint,
    severity: SEVERITY[f.severity],
    location: { path: f.path, lines: { begin: f.line } },
    content: { body: `${f.message}\n\nFix: ${f.fix}\n\n${f.references.join('\n')}` },
  })), null, 2)}\n`;
}
