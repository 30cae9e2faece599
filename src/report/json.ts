import type { Report } from './report.js';

/** `{ "version": 1, "findings": [...], "repairs": [...], "errors": [...] }`; the schema is in the README. */
export function formatJson(report: Pick<Report, 'findings' | 'repairs' | 'problems'>): string {
  return `${JSON.stringify({ version: 1, findings: report.findings, repairs: report.repairs, errors: report.problems }, null, 2)}\n`;
}
