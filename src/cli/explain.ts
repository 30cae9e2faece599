import { loreUrl, type Rule } from '../rules/rule.js';

export function listRules(rules: readonly Rule[]): string {
  return rules.map((r) => `${r.meta.id.padEnd(4)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.slug.padEnd(34)} ${r.meta.summary}\n`).join('');
}

/** The rule's full text, as --explain prints it. */
export function explainRule(rule: Rule): string {
  const m = rule.meta;
  const bullets = (items: string[]) => items.map((i) => `  - ${i}`).join('\n');
  return [
    `${m.id} ${m.slug}: ${m.name}`,
    `Default severity: ${m.defaultSeverity}`,
    `Versions: ${m.versions}`,
    '',
    m.summary,
    '',
    `Why: ${m.why}`,
    '',
    'Fires when:',
    bullets(m.firesWhen),
    '',
    'Must not fire:',
    bullets(m.mustNotFire),
    '',
    `Fix: ${m.fix}`,
    '',
    ...(m.examples ? ['Fires on:', indent(m.examples.fires), '', 'Quiet on:', indent(m.examples.quiet), ''] : []),
    'Threads:',
    m.references.map((r) => `  - ${r.title}\n    ${loreUrl(r.messageId)}`).join('\n'),
    '',
  ].join('\n');
}

function indent(code: string): string {
  return code.split('\n').map((l) => `    ${l}`).join('\n');
}
