import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r6: Rule = {
  meta: {
    id: 'R6',
    slug: 'p2p-unmap-mismatch',
    name: 'unmap does not mirror map',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'unmap does not mirror map',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
