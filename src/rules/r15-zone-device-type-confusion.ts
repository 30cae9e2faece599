import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r15: Rule = {
  meta: {
    id: 'R15',
    slug: 'p2p-zone-device-type-confusion',
    name: 'ZONE_DEVICE page kinds conflated',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'ZONE_DEVICE page kinds conflated',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
