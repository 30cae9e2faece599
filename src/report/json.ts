import type { Report } from './report.js';

/** `{ "version": 1, "findings": [...], "repairs": [...], "errors": [...] }`; the schema is in the README. */
export function formatJson(report: Pick<Report, 'findings' | 'repairs' | 'problems'> & Partial<Pick<Report, 'notes'>>): string {
  const notes = report.notes?.length ? { notes: report.notes } : {};
  return `${JSON.stringify({ version: 1, findings: report.findings, repairs: report.repairs, errors: report.problems, ...notes }, null, 2)}\n`;
}
