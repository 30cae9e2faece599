import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r5: Rule = {
  meta: {
    id: 'R5',
    slug: 'p2p-map-type-incomplete',
    name: 'map-type switch missing or wrong arms',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'map-type switch missing or wrong arms',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
