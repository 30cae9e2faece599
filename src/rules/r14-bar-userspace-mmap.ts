import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r14: Rule = {
  meta: {
    id: 'R14',
    slug: 'p2p-bar-userspace-mmap',
    name: 'exposing BAR or p2pmem to userspace outside the sanctioned path',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'exposing BAR or p2pmem to userspace outside the sanctioned path',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
