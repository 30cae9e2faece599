import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r7: Rule = {
  meta: {
    id: 'R7',
    slug: 'p2p-mmio-without-attr-mmio',
    name: 'host-bridge P2P mapped as ordinary memory (6.18+)',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'host-bridge P2P mapped as ordinary memory (6.18+)',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
