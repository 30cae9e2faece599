import type { Finding } from '../rules/rule.js';

export interface InputProblem {
  input: string;
  message: string;
}

/** `{ "version": 1, "findings": [...], "errors": [...] }`; the schema is in the README. */
export function formatJson(findings: readonly Finding[], errors: readonly InputProblem[] = []): string {
  return `${JSON.stringify({ version: 1, findings, errors }, null, 2)}\n`;
}
