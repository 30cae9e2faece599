import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r4: Rule = {
  meta: {
    id: 'R4',
    slug: 'p2p-topology-unchecked',
    name: 'provider and client paired without a reachability check',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'provider and client paired without a reachability check',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
