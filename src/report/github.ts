import type { Note } from '../engine/lint.js';
import type { Finding, Repair, Severity } from '../rules/rule.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** GitHub Actions workflow commands: `::error file=...,line=...::message`. */
export function formatGithub(findings: readonly Finding[], repairs: readonly Repair[] = [], notes: readonly Note[] = []): string {
  return findings.map((f) => {
    const props = [`file=${prop(f.path)}`, `line=${f.line}`, `col=${f.column}`, `title=${prop(`${f.rule} ${f.slug}`)}`];
    return `::${COMMAND[f.severity]} ${props.join(',')}::${data(`${f.message} Fix: ${f.fix}`)}\n`;
  }).join('') + repairs.map((r) => `::notice file=${prop(r.path)},line=${r.line},title=${prop(`${r.rule} repair`)}::${data(r.message)}\n`).join('')
    + notes.map((n) => `::notice ${n.path ? `file=${prop(n.path)},` : ''}title=p2pcheck::${data(`${n.input}: ${n.message}`)}\n`).join('');
}

function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function prop(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
