import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r9: Rule = {
  meta: {
    id: 'R9',
    slug: 'p2p-open-coded-bus-address',
    name: 'hand-computed bus or DMA addresses for peer memory',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'hand-computed bus or DMA addresses for peer memory',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
