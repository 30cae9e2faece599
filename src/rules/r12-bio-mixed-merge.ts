import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r12: Rule = {
  meta: {
    id: 'R12',
    slug: 'p2p-bio-mixed-merge',
    name: 'block-layer merging across P2P boundaries',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'block-layer merging across P2P boundaries',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
