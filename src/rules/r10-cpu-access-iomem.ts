import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r10: Rule = {
  meta: {
    id: 'R10',
    slug: 'p2p-cpu-access-iomem',
    name: 'CPU dereference of P2P/BAR memory',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'CPU dereference of P2P/BAR memory',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
