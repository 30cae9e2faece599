import { firstAdded } from '../analysis/file-analysis.js';
import type { Expr, FunctionFacts, Guard, Initializer, Span } from '../analysis/facts.js';
import { callsAny, checkedBy, guardAtoms, isDmaOpsField } from '../analysis/guards.js';
import { mayBeAtLeast } from '../analysis/kernel-era.js';
import { ADVERTISEMENT_FLAGS, P2P_CAPABILITY_TESTS, QUEUE_P2P_TESTS } from '../analysis/p2p-api.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';
import { roleOf, rolesOf } from '../analysis/catalogue.js';
import { comparedWithPreImage, conditionSpan } from '../analysis/pre-image.js';

const CAPABILITY_TESTS = new Set([...P2P_CAPABILITY_TESTS, ...QUEUE_P2P_TESTS]);
/** The DMA layer's answer, or `ctrl->ops->supports_pci_p2pdma(ctrl)`: the driver's, judged where it is defined. */
const CAPABILITY = (name: string): boolean => CAPABILITY_TESTS.has(name) || /(^|\.)supports_pci_p2pdma$/.test(name);
const VIRT_DMA_CONVERSIONS = new Set(['phys_to_virt', 'ib_virt_dma_to_page', 'ib_virt_dma_to_ptr']);
const P2P_PROTOCOL = new Set(['pci_p2pdma_state', 'pci_p2pdma_map_segment', 'sg_dma_mark_bus_address']);
const ADVERTISE_HINT = 'advertises P2PDMA';

export const r3: Rule = {
  meta: {
    id: 'R3',
    slug: 'p2p-custom-dma-ops',
    name: 'P2P reaching devices whose DMA layer cannot handle it',
    defaultSeverity: 'warning',
    versions: '4.20-5.10: dma_virt_ops; 6.0+: dma_pci_p2pdma_supported()/ib_dma_pci_p2p_dma_supported(); 6.0-6.11: DMA_F_PCI_P2PDMA_SUPPORTED needs the per-entry protocol; 6.12+: any custom dma_map_ops is not P2P capable',
    summary: 'P2P is advertised for a device without checking that its DMA layer (custom dma_map_ops, virt-DMA RDMA) can handle P2P pages.',
    why: 'A custom dma_map_ops (powerpc IOMMU ops, xen-swiotlb, Hyper-V, dma_virt_ops, virtio/vdpa) or an ib_uses_virt_dma RDMA device either ignores P2P or turns dma_addr_t into a CPU pointer: CPU access to MMIO, or addresses the peer cannot use. Advertising P2P for such a device is the root bug.',
    firesWhen: [
      'lim.features |= BLK_FEAT_PCI_P2PDMA, blk_queue_flag_set(QUEUE_FLAG_PCI_P2PDMA, ...), .supports_pci_p2pdma returning true, or nvmet p2p_client set, without a dominating dma_pci_p2pdma_supported(dma_dev)/ib_dma_pci_p2p_dma_supported(ibdev) (or a queue capability that was itself gated)',
      '.flags = DMA_F_PCI_P2PDMA_SUPPORTED on an ops table whose map_sg has no pci_p2pdma_state/pci_p2pdma_map_segment and no sg_dma_mark_bus_address',
      'a new dma_map_ops or virt-DMA driver converts dma_addr_t back with phys_to_virt/ib_virt_dma_to_page/ib_virt_dma_to_ptr and can receive user MRs or dma-bufs',
      'code bypasses the check by testing dev->dma_ops == NULL or get_dma_ops() by hand',
    ],
    mustNotFire: [
      'kernel/dma/mapping.c, include/linux/dma-map-ops.h, drivers/iommu/dma-iommu.c',
      'drivers that set the feature after ib_dma_pci_p2p_dma_supported() (nvme-rdma) or dma_pci_p2pdma_supported(dev->dev) (nvme-pci)',
      'ops tables that do not touch P2P at all and do not claim support',
      'an added line that only renames or restructures the condition of an unchanged guard (ctrl->ops->flags -> ctrl->t_flags), or that leaves the advertisement as unchanged context; a guard counts as weakened only when its condition loses a capability check (global trap 6)',
      'FOLL_PCI_P2PDMA/ITER_ALLOW_P2PDMA set without a check: reported once, by R11',
      'pre-6.0 targets for the checks whose fix is dma_pci_p2pdma_supported()/ib_dma_pci_p2p_dma_supported() (advertisements, .supports_pci_p2pdma callbacks, hand-rolled dma_ops tests): the helpers do not exist there',
    ],
    fix: 'Only advertise P2P if dma_pci_p2pdma_supported(dma_dev) (or ib_dma_pci_p2p_dma_supported()) is true. Custom dma_map_ops and virt-DMA RDMA devices cannot handle P2P pages.',
    references: [
      { messageId: '20190702173544.21950-1-logang@deltatee.com', title: '[PATCH] PCI/P2PDMA: Fix missing check for dma_virt_ops' },
      { messageId: '20210928191741.GQ3544071@ziepe.ca', title: 'Jason Gunthorpe on "RDMA/core: introduce ib_dma_pci_p2p_dma_supported()"' },
      { messageId: '20220708165104.5005-10-logang@deltatee.com', title: '[PATCH v8 09/13] nvme-pci: check DMA ops when indicating support for PCI P2PDMA' },
      { messageId: '20210408170123.8788-15-logang@deltatee.com', title: '[PATCH 14/16] nvme-rdma: Ensure dma support when using p2pdma' },
      { messageId: '20201106181941.1878556-9-hch@lst.de', title: '[PATCH 08/10] PCI/P2PDMA: Remove the DMA_VIRT_OPS hacks' },
    ],
    examples: {
      fires: "if (ctrl->cmb_size)\n\tlim->features |= BLK_FEAT_PCI_P2PDMA;",
      quiet: "if (dma_pci_p2pdma_supported(dev->dev))\n\tlim->features |= BLK_FEAT_PCI_P2PDMA;",
    },
    triggers: [
      'BLK_FEAT_PCI_P2PDMA', 'QUEUE_FLAG_PCI_P2PDMA', 'supports_pci_p2pdma', 'p2p_client', 'DMA_F_PCI_P2PDMA_SUPPORTED',
      'ib_virt_dma_to_page', 'ib_virt_dma_to_ptr', 'get_dma_ops', 'dma_ops',
    ],
  },

  check(context) {
    // Before 6.0 the predicates do not exist (no finding asks for them); the core itself rejected dma_virt_ops clients from 5.3.
    const predicatesExist = mayBeAtLeast(context.era, 6000);
    return [
      ...(predicatesExist ? context.functions.flatMap((fn) => advertisements(fn).flatMap((ad) => ungated(context, fn, ad))) : []),
      // issue 14 spec revision: the fixes that name the 6.0 helpers only where the target has them
      ...(predicatesExist ? supportsCallbacks(context) : []),
      ...flaggedOpsTables(context),
      ...virtDmaOpsTables(context),
      ...(predicatesExist ? context.functions.flatMap((fn) => handRolledChecks(context, fn)) : []),
    ];
  },
};

interface Advertisement {
  span: Span;
  guards: Guard[];
  what: string;
  value: Expr;
  /** What it advertises (the flag or field it sets), the same across renames of what is around it. */
  kind: string;
}

function advertisements(fn: FunctionFacts): Advertisement[] {
  const ads: Advertisement[] = [];
  for (const a of fn.assignments) {
    if (a.rhs.identifiers.includes('BLK_FEAT_PCI_P2PDMA') && /features$/.test(a.lhs) && a.op !== '&=') {
      ads.push({ span: a.span, guards: a.guards, what: `${a.lhsExpr.text} ${a.op} BLK_FEAT_PCI_P2PDMA`, value: a.rhs, kind: 'BLK_FEAT_PCI_P2PDMA' });
    } else if (/(^|\.)p2p_client$/.test(a.lhs) && a.rhs.text !== 'NULL' && !a.rhs.identifiers.includes('p2p_client')) {
      ads.push({ span: a.span, guards: a.guards, what: `${a.lhsExpr.text} = ${a.rhs.text} (nvmet P2P client)`, value: a.rhs, kind: 'p2p_client' });
    }
  }
  for (const c of fn.calls) {
    if (c.name === 'blk_queue_flag_set' && c.args[0]?.text === 'QUEUE_FLAG_PCI_P2PDMA') {
      ads.push({ span: c.span, guards: c.guards, what: 'blk_queue_flag_set(QUEUE_FLAG_PCI_P2PDMA, ...)', value: c.expr, kind: 'QUEUE_FLAG_PCI_P2PDMA' });
    }
  }
  return ads;
}

/** A capability check dominates the advertisement (or is its value). */
function gated(fn: FunctionFacts, ad: Advertisement): boolean {
  return !!checkedBy(ad.guards, CAPABILITY) || callsAny(ad.value, CAPABILITY) || gatedByCapabilityFlag(fn, ad) || gatedByQueueFeature(ad);
}

/**
 * A queue capability that was itself gated (spec R3): the advertisement is taken over from a queue
 * that advertises P2P (`if (b->features & BLK_FEAT_PCI_P2PDMA) t->features |= ...`, a stacking driver).
 */
function gatedByQueueFeature(ad: Advertisement): boolean {
  return guardAtoms(ad.guards).some((a) => a.positive && a.expr.identifiers.some((i) => ADVERTISEMENT_FLAGS.has(i)));
}

/**
 * The advertisement, or the added guard that now governs it, is not dominated by a capability
 * check. Global trap 6: an advertisement the pre-image already held in the same function, with no
 * capability check either, is a rename or a restructuring, not a new advertisement; an unchanged
 * advertisement fires only when its guard lost a capability check.
 */
function ungated(context: RuleContext, fn: FunctionFacts, ad: Advertisement): RuleReport[] {
  if (gated(fn, ad)) return [];
  const compared = comparedWithPreImage(context.file, fn, ad, advertisements, (a) => a.kind, gated);
  if (compared === 'same' || (compared === 'new' && !firstAdded(ad.span))) return [];
  const span = firstAdded(ad.span) ? ad.span : ad.guards.find((g) => g.kind !== 'early-exit' && firstAdded(conditionSpan(g)))?.span;
  if (!span) return [];
  return [{
    span,
    function: fn.name,
    message: `${ad.what} ${ADVERTISE_HINT} without dma_pci_p2pdma_supported()/ib_dma_pci_p2p_dma_supported(); ` +
      'a device with custom dma_map_ops or virt DMA cannot take P2P pages.',
    related: span === ad.span ? [] : [{ span: ad.span, message: `governed advertisement: ${ad.what}` }],
  }];
}

/** `supported = dma_pci_p2pdma_supported(dev); ... if (supported) features |= ...` */
function gatedByCapabilityFlag(fn: FunctionFacts, ad: Advertisement): boolean {
  const gated = new Set(fn.assignments.filter((a) => callsAny(a.rhs, CAPABILITY)).map((a) => a.lhs));
  for (const c of fn.calls) if (c.assignedTo && CAPABILITY(c.name)) gated.add(c.assignedTo);
  return ad.guards.some((g) => g.positive && g.cond.paths.some((p) => gated.has(p)));
}


/** `.supports_pci_p2pdma = fn` where fn returns true without asking the DMA layer. */
function supportsCallbacks(context: RuleContext): RuleReport[] {
  const reports: RuleReport[] = [];
  for (const init of allInitializers(context)) {
    const field = init.fields.find((f) => f.field === 'supports_pci_p2pdma');
    if (!field || field.value.kind !== 'path') continue;
    const callback = context.functions.find((f) => f.name === field.value.name);
    if (!callback || callback.returns.length === 0) continue;
    // a return under a hand-rolled dma_ops test is that test's finding (one finding per defect)
    const blind = callback.returns.filter((r) => r.value && /^(true|1)$/.test(r.value.text) && !checkedBy(r.guards, CAPABILITY) &&
      !r.guards.some((g) => handRolled(g.cond)));
    if (blind.length === 0 || callback.calls.some((c) => CAPABILITY(c.name))) continue;
    const target = [...blind.map((r) => r.span), field.span].find((s) => firstAdded(s));
    if (!target) continue;
    reports.push({
      span: target,
      function: callback.name,
      message: `${callback.name}() tells the block layer that P2PDMA is supported without dma_pci_p2pdma_supported()/ib_dma_pci_p2p_dma_supported().`,
      related: [{ span: blind[0]!.span, message: 'returns true unconditionally' }],
    });
  }
  return reports;
}

/** `.flags = DMA_F_PCI_P2PDMA_SUPPORTED` on an ops table whose visible map_sg lacks the per-entry protocol. */
function flaggedOpsTables(context: RuleContext): RuleReport[] {
  const reports: RuleReport[] = [];
  for (const init of allInitializers(context)) {
    const flags = init.fields.find((f) => f.field === 'flags' && f.value.identifiers.includes('DMA_F_PCI_P2PDMA_SUPPORTED'));
    const mapSg = init.fields.find((f) => f.field === 'map_sg');
    if (!flags || !mapSg || !firstAdded(flags.span)) continue;
    const impl = context.functions.find((f) => f.name === mapSg.value.text);
    if (!impl || impl.calls.some((c) => P2P_PROTOCOL.has(c.name))) continue;
    reports.push({
      span: flags.span,
      message: `${init.name} claims DMA_F_PCI_P2PDMA_SUPPORTED but its map_sg ${impl.name}() never calls pci_p2pdma_state()/pci_p2pdma_map_segment() or sg_dma_mark_bus_address().`,
      related: [{ span: impl.span, message: `${impl.name}() maps P2P entries like host memory` }],
    });
  }
  return reports;
}

/** A new dma_map_ops whose driver turns DMA addresses back into CPU pointers and may meet user MRs or dma-bufs. */
function virtDmaOpsTables(context: RuleContext): RuleReport[] {
  const ids = context.file.post.identifiers;
  const convertsBack = context.functions.find((f) => f.calls.some((c) => VIRT_DMA_CONVERSIONS.has(c.name) && firstAdded(c.span)));
  const takesUserMemory = ids.has('ib_umem_get') || ids.has('dma_buf_map_attachment') || ids.has('dma_buf_map_attachment_unlocked');
  const rejectsP2P = ids.has('is_pci_p2pdma_page') || ids.has('ib_uses_virt_dma');
  if (!convertsBack || !takesUserMemory || rejectsP2P) return [];
  return allInitializers(context)
    .filter((init) => /\bdma_map_ops\b/.test(init.type) && firstAdded(init.span))
    .map((init) => ({
      span: init.span,
      message: `${init.name} is a dma_map_ops whose driver converts DMA addresses back to CPU pointers (${convertsBack.name}()) ` +
        'and can receive user MRs or dma-bufs; it must reject P2P pages and peer dma-bufs.',
    }));
}

/** `if (!dev->dma_ops)` or `get_dma_ops(dev)` standing in for dma_pci_p2pdma_supported(). */
function handRolledChecks(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  const callback = allInitializers(context).some((i) => i.fields.some((f) => roleOf(f.field, 'advertisement') && f.value.text === fn.name));
  if (!callback && !decidesP2P(fn)) return [];
  return fn.ifs
    .filter((g) => handRolled(g.cond))
    .filter((g) => firstAdded(conditionSpan(g)))
    .map((g) => ({
      span: conditionSpan(g),
      function: fn.name,
      message: `${g.cond.text} decides P2P support by hand; use dma_pci_p2pdma_supported(), which knows which dma_map_ops handle P2P.`,
    }));
}

/**
 * The function takes a P2P decision: it advertises P2P, answers a `.supports_pci_p2pdma`-style
 * callback, or uses the P2PDMA API (catalogue roles, never the spelling of names).
 */
function decidesP2P(fn: FunctionFacts): boolean {
  const p2pRoles = new Set(['page-predicate', 'map-type-query', 'capability-test', 'queue-test', 'advertisement', 'gup-flag', 'provider-registration']);
  const mentions = [...fn.calls.map((c) => c.expr), ...fn.assignments.map((a) => a.rhs), ...fn.returns.flatMap((r) => (r.value ? [r.value] : []))];
  return mentions.some((e) => [...e.identifiers, ...e.callNames].some((id) => rolesOf(id).some((r) => p2pRoles.has(r.role) ||
    (r.role === 'source' && r.produces !== 'platform-mmio' && r.produces !== 'remap-of-arg'))));
}

/** `get_dma_ops(dev)` or `dev->dma_ops` tested by hand. */
function handRolled(cond: Expr): boolean {
  return cond.callNames.some((n) => !!roleOf(n, 'dma-ops-query')) || cond.paths.some(isDmaOpsField);
}

function allInitializers(context: RuleContext): Initializer[] {
  return [...context.file.post.initializers, ...context.functions.flatMap((f) => f.initializers)];
}
