import { loreUrl, type Finding, type Rule } from '../rules/rule.js';

/** A rule's documentation page (shipped with the extension, opened in the Markdown preview). */
export function ruleMarkdown(rule: Rule): string {
  const m = rule.meta;
  const list = (items: string[]) => items.map((i) => `- ${i}`).join('\n');
  return [
    `# ${m.id} \`${m.slug}\`: ${m.name}`,
    '',
    `${m.summary}`,
    '',
    `**Default severity:** ${m.defaultSeverity}  `,
    `**Kernel versions:** ${m.versions}`,
    '',
    '## Why',
    '',
    m.why,
    '',
    '## Fires when',
    '',
    list(m.firesWhen),
    '',
    '## Must not fire',
    '',
    list(m.mustNotFire),
    '',
    '## Fix',
    '',
    m.fix,
    '',
    ...(m.examples ? ['## Example that fires', '', '```c', m.examples.fires, '```', '', '## Example that does not', '', '```c', m.examples.quiet, '```', ''] : []),
    '## Threads',
    '',
    list(m.references.map((r) => `[${r.title}](${loreUrl(r.messageId)})`)),
    '',
  ].join('\n');
}

/** The hover of a flagged range: what, why, the fix, the versions and the threads. */
export function findingHoverMarkdown(rule: Rule, finding: Pick<Finding, 'message' | 'era'>): string {
  const m = rule.meta;
  return [
    `**p2pcheck ${m.id}** \`${m.slug}\`: ${m.summary}`,
    '',
    finding.message,
    '',
    `**Why it is risky:** ${m.why}`,
    '',
    `**Fix:** ${m.fix}`,
    '',
    `**Kernel versions:** ${m.versions}${finding.era ? `  \n**Assumed here:** ${finding.era}` : ''}`,
    '',
    `**Threads:** ${m.references.map((r) => `[${r.messageId}](${loreUrl(r.messageId)})`).join(' · ')}`,
  ].join('\n');
}
