import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r11: Rule = {
  meta: {
    id: 'R11',
    slug: 'p2p-gup-flag-gating',
    name: 'FOLL_PCI_P2PDMA / ITER_ALLOW_P2PDMA set without consumer support, or combined with FOLL_LONGTERM',
    defaultSeverity: 'warning',
    versions: '',
    summary: 'FOLL_PCI_P2PDMA / ITER_ALLOW_P2PDMA set without consumer support, or combined with FOLL_LONGTERM',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
