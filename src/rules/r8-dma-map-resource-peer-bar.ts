import type { Rule } from './rule.js';

/** Placeholder while the rule is written (issue 5): it reports nothing yet. */
export const r8: Rule = {
  meta: {
    id: 'R8',
    slug: 'p2p-dma-map-resource-peer-bar',
    name: '`dma_map_resource()` used for PCI peer-to-peer',
    defaultSeverity: 'warning',
    versions: '',
    summary: '`dma_map_resource()` used for PCI peer-to-peer',
    why: '',
    firesWhen: [],
    mustNotFire: [],
    fix: '',
    references: [{ messageId: 'placeholder', title: 'placeholder' }],
    triggers: [],
  },
  check: () => [],
};
