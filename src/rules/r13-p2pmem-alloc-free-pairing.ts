import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r13: Rule = {
  meta: {
    id: 'R13',
    slug: 'p2pmem-alloc-free-pairing',
    name: 'p2pmem lifetime and pairing errors',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'p2pmem lifetime and pairing errors',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
