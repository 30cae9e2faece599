import { apiRow, namesWith, type DmabufPart } from '../analysis/catalogue.js';
import { matchesAny } from '../analysis/core-files.js';
import { dominates } from '../analysis/error-paths.js';
import type { Call, Expr, FunctionFacts, Initializer, Span } from '../analysis/facts.js';
import { firstAdded, lineOf } from '../analysis/file-analysis.js';
import { describeEra, isBefore, parseVersion } from '../analysis/kernel-era.js';
import { isLoggingCall } from '../analysis/result-use.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

/**
 * The reference implementations the spec names (R16 "must not fire": vfio's and uverbs' exporters
 * and drivers/dma-buf/*; the labelled corpus keeps vfio v9 clean). Their pre-fix versions lacked
 * the waits (Fixes: 5d74781ebc86), but the spec exempts the files.
 */
const MERGED_REFERENCES = [
  /(^|\/)drivers\/vfio\/pci\/vfio_pci_dmabuf\.c$/, /(^|\/)drivers\/infiniband\/core\/uverbs_std_types_dmabuf\.c$/,
  /(^|\/)drivers\/infiniband\/core\/ib_core_uverbs\.c$/, /(^|\/)drivers\/dma-buf\//,
];

const parts = (...p: DmabufPart[]) => namesWith('dmabuf', (r) => p.includes(r.part));
const MAP_OP = 'map_dma_buf';
const ATTACH_OP = 'attach';
const PIN_OP = 'pin';
const MMIO_EXPORT = parts('mmio-export');
const NOTIFY = parts('notify');
const RESV_LOCK = parts('resv-lock');
const RESV_UNLOCK = parts('resv-unlock');
const RESV_HELD = parts('resv-held');
const FENCE_WAIT = parts('fence-wait');
const USAGE_ALL = parts('usage-all');
const UNMAP_WAIT = parts('unmap-wait');
const TEARDOWN = parts('teardown');
const DEFER = parts('defer');
const INVALIDATE_OPS = parts('importer-invalidate');
const PEER_OPT_IN = parts('importer-p2p');
const PEER2PEER = parts('peer2peer');
const PIN_CALLS = parts('pin');
const REVOCABLE_LOCKED = parts('pin-revocable-locked');
const REVOKE_UNLOCK = parts('revoke-unlock');
const SET_REVOKE = parts('set-revoke');
const REVOCABLE_TEST = parts('revocable-test');
const USER_TRIGGERS = parts('user-trigger');
/** dma-buf revoke vocabulary (7.1): the importer-stub bullet needs it. */
const REVOKE_ERA = parseVersion('7.1')!;
/** Peer/MMIO exporters before 6.19 (dma_map_resource): only the peer2peer bullet. */
const PROVIDER_ERA = parseVersion('6.19')!;

export const r16: Rule = {
  meta: {
    id: 'R16',
    slug: 'p2p-dmabuf-revoke-contract',
    name: 'Peer/MMIO dma-buf exported or pinned without the revoke contract',
    defaultSeverity: 'warning',
    checksCoreFiles: true,
    versions: '6.19: the vfio exporter and the docs define the duty (dma_buf_move_notify() naming); 7.0: the uverbs exporter with the full wait sequence; 7.1: .invalidate_mappings, dma_buf_invalidate_mappings(), dma_buf_attach_revocable() and the RDMA pinned revocable import. Before 6.19 peer exporters (habanalabs, amdgpu) used dma_map_resource(), and only the peer2peer bullet applies',
    summary: 'A peer/MMIO dma-buf exporter misses part of the B8 contract (peer2peer test, refusing revoked mappings, the revoke waits, the dma_resv lock), or an importer claims a revocability it does not have.',
    why: 'An exporter of peer memory hands its MMIO to other drivers. The 6.19 docs: "When the exporting driver wants to remove() it must deliver an invalidation shutdown to all DMABUF importing drivers ... and synchronously DMA unmap all the MMIO." After dma_buf_invalidate_mappings() importers may still access the memory until the fences retire, and may read-and-discard until they unmap; an exporter that notifies and then tears down at once leaves live DMA to a BAR that is gone or reset (vfio needed a Fixes: patch for exactly this). An importer whose invalidate op does nothing makes dma_buf_attach_revocable() report true while it never unmaps, and the exporter\'s final wait then hangs; that is why the RDMA pinned importer\'s empty stub was deleted in 7.1.',
    firesWhen: [
      "a peer/MMIO exporter's .attach and .map_dma_buf never test attachment->peer2peer, so importers that expect struct pages get a table with a NULL CPU list (error)",
      'a revoke routine calls dma_buf_invalidate_mappings()/dma_buf_move_notify() for a peer/MMIO exporter and then returns or tears down without dma_resv_wait_timeout(..., DMA_RESV_USAGE_BOOKKEEP, ...) after the notify, or without a wait for outstanding unmaps (kref/completion) (error)',
      'the notify is called without holding dma_resv_lock(dmabuf->resv), or the revoked state is set outside that lock (warning)',
      '.map_dma_buf of a peer/MMIO exporter that revokes does not refuse a revoked buffer (-ENODEV) (warning)',
      '7.1+: a peer/MMIO exporter whose revoke is triggered from userspace (close/release, an ioctl, reset/FLR) accepts attachments without dma_buf_attach_revocable() and without a refusing .pin; before 7.1 the test is only whether .pin refuses (warning)',
      '7.1+: an importer registers invalidate_mappings with an empty or log-only body while it sets allow_peer2peer = true or pins (error)',
      'a revoke callback passed to ib_umem_dmabuf_set_revoke_locked() only defers the work (queue_work, schedule_work, setting a flag) (warning)',
      'ib_umem_dmabuf_get_pinned_revocable_and_lock() returns with the lock held, and some path leaves without ib_umem_dmabuf_revoke_unlock() (error)',
      'a new long-lived pinned import of peer memory through the non-revocable ib_umem_dmabuf_get_pinned()/dma_buf_pin() without an invalidate op (info: it will not attach to vfio/uverbs exports)',
    ],
    mustNotFire: [
      'drivers/vfio/pci/vfio_pci_dmabuf.c, drivers/infiniband/core/uverbs_std_types_dmabuf.c, drivers/infiniband/core/ib_core_uverbs.c and drivers/dma-buf/* as merged, and code that follows the B8 sequence',
      'exporters that revoke only on RAS errors and do not call dma_buf_attach_revocable()',
      'dynamic (non-pinned) importers whose invalidate op unmaps or schedules an unmap that completes in bounded time (amdgpu/xe/mlx5 ODP style)',
      "iommufd's importer, which fences access inside its invalidate op and holds no scatterlist",
      'the 6.12.118 stable backport of the RDMA pinned revocable import with .move_notify naming, and the pre-7.1 ib_umem_dmabuf_unsupported_move_notify() stub',
    ],
    fix: 'A peer/MMIO dma-buf exporter must: reject !attachment->peer2peer in .attach; on 7.1+ reject !dma_buf_attach_revocable(attachment) when revoke can be triggered from userspace (before 7.1, refuse .pin); refuse mapping after revoke; and revoke in order: dma_resv_lock, set revoked, dma_buf_invalidate_mappings() (dma_buf_move_notify() before 7.1), dma_resv_wait_timeout(..., DMA_RESV_USAGE_BOOKKEEP, ...), unlock, then wait for every importer\'s unmap before releasing the BAR or provider. An importer\'s invalidate op must lead to unmap in bounded time; pinned RDMA hardware uses ib_umem_dmabuf_get_pinned_revocable_and_lock() with a callback that stops the hardware before it returns.',
    references: [
      { messageId: '20260131-dmabuf-revoke-v7-0-463d956bd527@nvidia.com', title: '[PATCH v7 0/8] dma-buf: Use revoke mechanism to invalidate shared buffers' },
      { messageId: '20260131-dmabuf-revoke-v7-6-463d956bd527@nvidia.com', title: '[PATCH v7 6/8] dma-buf: Add dma_buf_attach_revocable()' },
      { messageId: '20260131-dmabuf-revoke-v7-4-463d956bd527@nvidia.com', title: '[PATCH v7 4/8] vfio: Wait for dma-buf invalidation to complete (Fixes: 5d74781ebc86)' },
      { messageId: '20260131-dmabuf-revoke-v7-5-463d956bd527@nvidia.com', title: '[PATCH v7 5/8] dma-buf: Make .invalidate_mapping() truly optional (the stub removal)' },
      { messageId: '20260131-dmabuf-revoke-v7-7-463d956bd527@nvidia.com', title: '[PATCH v7 7/8] vfio: Permit VFIO to work with pinned importers' },
      { messageId: '20260120181520.GS961572@ziepe.ca', title: 'Jason Gunthorpe on the uverbs exporter: "This will need the same wait that Christian pointed out for VFIO"' },
      { messageId: '20260201-dmabuf-export-v3-2-da238b614fe3@nvidia.com', title: 'uverbs dma-buf exporter with kref + completion (applied: 177029631173.955437.5307722032449149162.b4-ty@kernel.org)' },
      { messageId: '20260305170826.3803155-1-jmoroni@google.com', title: 'RDMA pinned revocable dma-buf import (cover letter)' },
      { messageId: '20260305170826.3803155-4-jmoroni@google.com', title: '[PATCH rdma-next v3 3/5] RDMA/umem: Add pinned revocable dmabuf import interface' },
      { messageId: '20260305170826.3803155-6-jmoroni@google.com', title: 'irdma user of the pinned revocable import' },
      { messageId: '20251120-dmabuf-vfio-v9-5-d7f71607f371@nvidia.com', title: 'DMABUF model in p2pdma.rst' },
    ],
    examples: {
      fires: 'umem = ib_umem_dmabuf_get_pinned_revocable_and_lock(ibdev, start, len, fd, access);\nif (IS_ERR(umem))\n\treturn PTR_ERR(umem);\nerr = foo_hw_register(hw, umem);\nif (err)\n\treturn err;\nib_umem_dmabuf_set_revoke_locked(umem, foo_revoke, hw);\nib_umem_dmabuf_revoke_unlock(umem);',
      quiet: 'umem = ib_umem_dmabuf_get_pinned_revocable_and_lock(ibdev, start, len, fd, access);\nif (IS_ERR(umem))\n\treturn PTR_ERR(umem);\nerr = foo_hw_register(hw, umem);\nif (err)\n\tgoto err_unlock;\nib_umem_dmabuf_set_revoke_locked(umem, foo_revoke, hw);\nerr_unlock:\nib_umem_dmabuf_revoke_unlock(umem);',
    },
    triggers: [MAP_OP, ...NOTIFY, ...INVALIDATE_OPS, ...PIN_CALLS, ...REVOCABLE_LOCKED, ...SET_REVOKE].sort(),
  },

  check(context) {
    const merged = matchesAny(context.file.path, MERGED_REFERENCES);
    const exporters = merged ? [] : peerExporters(context);
    return [
      ...exporters.flatMap((e) => missingPeer2Peer(context, e)),
      ...(exporters.length && !isBefore(context.era, PROVIDER_ERA) ? revokeSequences(context, exporters) : []),
      ...(merged ? [] : stubImporters(context)),
      ...(merged ? [] : deferringRevokeCallbacks(context)),
      ...context.functions.flatMap((fn) => unbalancedRevocableLocks(fn)),
      ...(merged ? [] : nonRevocablePins(context)),
    ].filter((r) => firstAdded(r.span));
  },
};

interface Exporter {
  /** The ops table's name, or the path assigned. */
  name: string;
  /** map_dma_buf entry and its callback. */
  field: { span: Span; value: Expr };
  map: FunctionFacts;
  attach?: FunctionFacts;
  /** The table names an attach callback the file does not show. */
  attachHidden: boolean;
  /** The call or value that makes the exported memory MMIO. */
  evidence: { span: Span; what: string };
}

function allInitializers(context: RuleContext): Initializer[] {
  return [...context.file.post.initializers, ...context.functions.flatMap((f) => f.initializers)];
}

function fnNamed(context: RuleContext, e: Expr | undefined): FunctionFacts | undefined {
  const name = e?.kind === 'path' ? e.name : e?.kind === 'unary' && e.args[0]?.kind === 'path' ? e.args[0].name : undefined;
  return name ? context.functions.find((f) => f.name === name) : undefined;
}

/** `struct dma_buf_ops` initializers (or assignments to their members) whose map_dma_buf returns device MMIO. */
function peerExporters(context: RuleContext): Exporter[] {
  const tables: { name: string; fields: { field: string; value: Expr; span: Span }[] }[] = allInitializers(context)
    .filter((i) => i.fields.some((f) => f.field === MAP_OP));
  for (const fn of context.functions) {
    const assigned = fn.assignments.filter((a) => a.lhs.split('.').at(-1) === MAP_OP);
    for (const a of assigned) {
      const base = a.lhs.slice(0, -MAP_OP.length - 1);
      const fields = fn.assignments.filter((b) => b.lhs.startsWith(`${base}.`) && !b.lhs.slice(base.length + 1).includes('.'))
        .map((b) => ({ field: b.lhs.slice(base.length + 1), value: b.rhs, span: b.span }));
      tables.push({ name: base, fields });
    }
  }
  return tables.flatMap((t): Exporter[] => {
    const field = t.fields.find((f) => f.field === MAP_OP)!;
    const map = fnNamed(context, field.value);
    const evidence = map && mmioEvidence(context, map);
    if (!map || !evidence) return [];
    const attachField = t.fields.find((f) => f.field === ATTACH_OP);
    const attach = fnNamed(context, attachField?.value);
    return [{ name: t.name, field, map, attach, attachHidden: !!attachField && !attach, evidence }];
  });
}

/** The function (or a file function it calls) maps device MMIO: a catalogue MMIO-export call or a PCI BAR value. */
function mmioEvidence(context: RuleContext, fn: FunctionFacts, seen = new Set<string>()): { span: Span; what: string } | undefined {
  seen.add(fn.name);
  const taint = context.file.taintOf(fn);
  for (const c of fn.calls) {
    if (MMIO_EXPORT.has(c.name)) return { span: c.span, what: `${c.name}()` };
    const bar = c.args.map((a) => taint.of(a)).find((t) => t?.origin === 'bar');
    if (bar) return { span: c.span, what: `${bar.via}, a PCI BAR address` };
  }
  for (const c of fn.calls) {
    const callee = seen.has(c.name) ? undefined : context.functions.find((f) => f.name === c.name);
    const found = callee && mmioEvidence(context, callee, seen);
    if (found) return found;
  }
  return undefined;
}

/** Functions reachable from `fn` through calls of file functions, `fn` first. */
function reach(context: RuleContext, fn: FunctionFacts | undefined): FunctionFacts[] {
  const out: FunctionFacts[] = [];
  const visit = (f: FunctionFacts | undefined) => {
    if (!f || out.includes(f)) return;
    out.push(f);
    for (const c of f.calls) visit(context.functions.find((g) => g.name === c.name));
  };
  visit(fn);
  return out;
}

function mentions(fn: FunctionFacts, test: (path: string) => boolean): boolean {
  const exprs: Expr[] = [...fn.ifs.map((g) => g.cond), ...fn.assignments.map((a) => a.rhs), ...fn.calls.flatMap((c) => c.args),
    ...fn.returns.flatMap((r) => (r.value ? [r.value] : []))];
  return exprs.some((e) => e.paths.some(test));
}

/** Spec R16 bullet 1 (R4 hands this defect to R16: same line, one finding). */
function missingPeer2Peer(context: RuleContext, e: Exporter): RuleReport[] {
  if (e.attachHidden) return [];
  const checked = [...reach(context, e.attach), ...reach(context, e.map)]
    .some((fn) => mentions(fn, (p) => PEER2PEER.has(p.split('.').at(-1)!)));
  if (checked) return [];
  return [{
    span: firstAdded(e.field.span) ? e.field.span : e.evidence.span,
    function: e.map.name,
    severity: 'error',
    message: `${e.name}.map_dma_buf = ${e.map.name}() exports device MMIO (${e.evidence.what}), and neither .attach nor .map_dma_buf tests ` +
      'attachment->peer2peer: an importer that expects struct pages gets a table with a NULL CPU list. Reject !attachment->peer2peer with -EOPNOTSUPP in .attach.',
    related: [{ span: e.evidence.span, message: `MMIO: ${e.evidence.what}` }],
  }];
}

const callsIn = (fn: FunctionFacts, names: ReadonlySet<string>, after = 0) => fn.calls.filter((c) => names.has(c.name) && lineOf(c.span) > after);

/** Spec R16 bullets 2-4: the revoke routines of the file and what .map_dma_buf does after a revoke. */
function revokeSequences(context: RuleContext, exporters: Exporter[]): RuleReport[] {
  const out: RuleReport[] = [];
  const callers = (fn: FunctionFacts) => context.functions.flatMap((g) => g.calls.filter((c) => c.name === fn.name).map((call) => ({ g, call })));
  // the waits (and teardown) may follow in this function or, after the call of it, in a caller the file shows
  const laterThan = (fn: FunctionFacts, at: number) => [{ f: fn, from: at }, ...callers(fn).map(({ g, call }) => ({ f: g, from: lineOf(call.span) }))];
  const tested = refusalState(context, exporters);
  // A revoke, not a migration of a dynamic exporter (out of scope: "Dynamic callers can often use
  // just the first" wait): the routine sets a state flag or the state .attach/.map_dma_buf refuse
  // on before the notify, or tears the memory down after it.
  const isRevoke = (fn: FunctionFacts, notify: Call) => {
    const at = lineOf(notify.span);
    return fn.assignments.some((a) => lineOf(a.span) <= at && a.lhs.includes('.') &&
        (tested.has(a.lhs.split('.').at(-1)!) || /^(true|1)$/.test(a.rhs.text))) ||
      laterThan(fn, at).some(({ f, from }) => callsIn(f, TEARDOWN, from).length > 0);
  };
  const revokers = context.functions.filter((fn) => callsIn(fn, NOTIFY).some((n) => isRevoke(fn, n)));
  for (const fn of revokers) {
    for (const notify of callsIn(fn, NOTIFY).filter((n) => isRevoke(fn, n))) {
      const at = lineOf(notify.span);
      const later = laterThan(fn, at);
      const usageArg = (c: Call) => c.args[apiRow(c.name)?.roles.find((r) => r.role === 'dmabuf')?.arg ?? 1];
      const fenced = later.some(({ f, from }) => callsIn(f, FENCE_WAIT, from).some((c) => usageArg(c)?.identifiers.some((i) => USAGE_ALL.has(i))));
      const drained = later.some(({ f, from }) => callsIn(f, UNMAP_WAIT, from).length > 0);
      if (!fenced || !drained) {
        const missing = [
          ...(fenced ? [] : ['dma_resv_wait_timeout(resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT) after it']),
          ...(drained ? [] : ['a wait until every importer has unmapped (kref + completion)']),
        ];
        const teardown = later.flatMap(({ f, from }) => callsIn(f, TEARDOWN, from));
        out.push({
          span: notify.span,
          function: fn.name,
          severity: 'error',
          message: `${notify.name}() tells the importers of a peer/MMIO dma-buf to unmap, but the revoke goes on without ${missing.join(' and without ')}: ` +
            'importers may keep accessing the BAR until their fences retire and may read-and-discard until they unmap, so ' +
            (teardown.length ? `${teardown[0]!.name}() can pull the MMIO from under live DMA.` : 'the caller can tear the BAR or provider down under live DMA.'),
          related: [
            ...teardown.map((c) => ({ span: c.span, message: `teardown: ${c.name}()` })),
            { span: exporters[0]!.field.span, message: `peer/MMIO exporter: ${exporters[0]!.name} (${exporters[0]!.evidence.what})` },
          ],
        });
      }
      const locked = callsIn(fn, RESV_HELD).length > 0 ||
        fn.calls.some((c) => RESV_LOCK.has(c.name) && lineOf(c.span) < at && !callsIn(fn, RESV_UNLOCK, lineOf(c.span)).some((u) => lineOf(u.span) < at)) ||
        callers(fn).some(({ g, call }) => g.calls.some((c) => RESV_LOCK.has(c.name) && lineOf(c.span) < lineOf(call.span)));
      if (!locked) {
        out.push({
          span: notify.span,
          function: fn.name,
          severity: 'warning',
          message: `${notify.name}() is called without holding dma_resv_lock(dmabuf->resv): the core asserts the lock, and the revoked state must change under it.`,
        });
      }
    }
  }
  if (revokers.length === 0) return out;
  out.push(...unrevocableImporters(context, exporters, revokers));
  out.push(...revokedOutsideLock(context, exporters, revokers));
  // .map_dma_buf must refuse a revoked buffer: an error return decided by state the revoke routine writes
  const revokedState = new Set(revokers.flatMap((fn) => fn.assignments.map((a) => a.lhs.split('.').at(-1)!)));
  for (const e of exporters) {
    const refuses = [...reach(context, e.attach), ...reach(context, e.map)].some((fn) => fn.returns.some((r) => r.value && /\bENODEV\b/.test(r.value.text)) ||
      fn.returns.some((r) => r.value && isError(r.value) && r.guards.some((g) => g.cond.paths.some((p) => revokedState.has(p.split('.').at(-1)!)))));
    if (refuses) continue;
    out.push({
      span: e.map.span.lines.find((l) => l.kind === '+') ? { lines: [e.map.span.lines[0]!], column: e.map.span.column } : e.field.span,
      function: e.map.name,
      message: `${e.map.name}(), the .map_dma_buf of a peer/MMIO exporter that revokes, does not refuse a revoked buffer (nor does .attach): ` +
        'an importer that maps again after the invalidate gets the BAR back. Return ERR_PTR(-ENODEV) when revoked (tested under dma_resv).',
      related: [{ span: callsIn(revokers[0]!, NOTIFY)[0]!.span, message: 'the revoke' }],
    });
  }
  return out;
}

/**
 * Spec R16 exporter bullet 5: a revoke that userspace can trigger (the revoke routine is reached from
 * a release, ioctl or reset op the file registers) must refuse importers that cannot be revoked:
 * dma_buf_attach_revocable() in .attach (7.1+), or a .pin that fails (before 7.1 the only test).
 */
function unrevocableImporters(context: RuleContext, exporters: Exporter[], revokers: FunctionFacts[]): RuleReport[] {
  const triggers = allInitializers(context).flatMap((i) => i.fields.filter((f) => USER_TRIGGERS.has(f.field))
    .flatMap((f) => { const fn = fnNamed(context, f.value); return fn ? [{ field: f, fn }] : []; }));
  const trigger = triggers.find((t) => reach(context, t.fn).some((fn) => revokers.includes(fn)));
  if (!trigger) return [];
  const before71 = isBefore(context.era, REVOKE_ERA);
  return exporters.flatMap((e): RuleReport[] => {
    const table = allInitializers(context).find((i) => i.fields.some((f) => f.field === MAP_OP && f.span === e.field.span));
    const pinField = table?.fields.find((f) => f.field === PIN_OP);
    const pin = fnNamed(context, pinField?.value);
    if (pinField && !pin) return []; // the .pin callback is not shown
    const pinRefuses = !!pin && pin.returns.length > 0 && pin.returns.every((r) => !!r.value && isError(r.value));
    const revocableChecked = !before71 && reach(context, e.attach).some((fn) => fn.calls.some((c) => REVOCABLE_TEST.has(c.name)));
    if (pinRefuses || revocableChecked || e.attachHidden) return [];
    const attach = e.attach;
    return [{
      span: attach ? { lines: [attach.span.lines[0]!], column: attach.span.column } : e.field.span,
      function: attach?.name ?? e.map.name,
      era: describeEra(context.era),
      message: `${e.name} accepts importers that cannot be revoked, while userspace can trigger its revoke ` +
        `(.${trigger.field.field} = ${trigger.fn.name}() reaches it): a pinned importer then blocks close or reset indefinitely. ` +
        (before71 ? 'Before 7.1, give the ops a .pin that returns -EOPNOTSUPP.' : 'Reject !dma_buf_attach_revocable(attachment) with -EOPNOTSUPP in .attach.'),
      related: [{ span: trigger.field.span, message: `userspace trigger: .${trigger.field.field}` }],
    }];
  });
}

/**
 * Spec R16 exporter bullet 3, second half: the revoked state (a field that .attach/.map_dma_buf test
 * before an error return) is written by the revoke routine outside dma_resv_lock ... unlock, while
 * the notify itself is locked (a notify without the lock is the first half's finding).
 */
/** Fields that .attach/.map_dma_buf test before an error return: the exporter's revoked state. */
function refusalState(context: RuleContext, exporters: Exporter[]): Set<string> {
  return new Set(exporters.flatMap((e) => [...reach(context, e.attach), ...reach(context, e.map)])
    .flatMap((fn) => fn.returns.filter((r) => r.value && isError(r.value)).flatMap((r) => r.guards.flatMap((g) => g.cond.paths)))
    .filter((p) => p.includes('.')).map((p) => p.split('.').at(-1)!));
}

function revokedOutsideLock(context: RuleContext, exporters: Exporter[], revokers: FunctionFacts[]): RuleReport[] {
  const tested = refusalState(context, exporters);
  return revokers.flatMap((fn) => {
    const locks = fn.calls.filter((c) => RESV_LOCK.has(c.name)).map((c) => lineOf(c.span));
    if (locks.length === 0) return [];
    const unlocks = fn.calls.filter((c) => RESV_UNLOCK.has(c.name)).map((c) => lineOf(c.span));
    const held = (line: number) => locks.some((l) => l < line && !unlocks.some((u) => u > l && u < line));
    return fn.assignments.filter((a) => a.lhs.includes('.') && tested.has(a.lhs.split('.').at(-1)!) && !held(lineOf(a.span)))
      .slice(0, 1).map((a) => ({
        span: a.span,
        function: fn.name,
        message: `${a.lhsExpr.text} is set outside dma_resv_lock(): .attach/.map_dma_buf read it under the reservation lock, so a mapping can ` +
          'slip in between the state change and the notify. Set it after dma_resv_lock() and before the invalidate call.',
      }));
  });
}

function isError(e: Expr): boolean {
  return /^(-\s*E[A-Z0-9]+|ERR_PTR\b)/.test(e.text);
}

/** Spec R16 importer bullet 1 (7.1+): an invalidate op that does nothing, on a peer or pinned attachment. */
function stubImporters(context: RuleContext): RuleReport[] {
  const pins = context.functions.some((fn) => fn.calls.some((c) => PIN_CALLS.has(c.name)));
  return allInitializers(context).flatMap((init) => init.fields.flatMap((f): RuleReport[] => {
    if (!INVALIDATE_OPS.has(f.field)) return [];
    // the pre-7.1 naming (.move_notify) is the era when dma_buf_dynamic_attach() required the op: stubs were needed
    const until = apiRow(f.field)?.until;
    if (until && parseVersion(until)! <= REVOKE_ERA) return [];
    if (isBefore(context.era, REVOKE_ERA)) return [];
    const peer = init.fields.some((g) => PEER_OPT_IN.has(g.field) && !/^(false|0)$/.test(g.value.text));
    if (!peer && !pins) return [];
    const cb = fnNamed(context, f.value);
    if (!cb || !doesNothing(cb)) return [];
    return [{
      span: firstAdded(cb.span) ? { lines: [cb.span.lines[0]!], column: cb.span.column } : f.span,
      function: cb.name,
      severity: 'error',
      era: describeEra(context.era),
      message: `${cb.name}(), the .${f.field} of ${init.name || 'an importer'}, does nothing but ${cb.calls.length ? 'log' : 'return'}, ` +
        `while the attachment ${peer ? 'allows peer2peer' : 'is pinned'}: dma_buf_attach_revocable() now reports it revocable, ` +
        "revoking exporters accept it, and their wait for the unmap never ends. Leave the op out (a pinned importer is then refused) or make it unmap in bounded time.",
      related: [{ span: f.span, message: `registration: .${f.field} = ${f.value.text}` }],
    }];
  }));
}

/** Empty, or only logging. */
function doesNothing(fn: FunctionFacts): boolean {
  return fn.assignments.length === 0 && fn.calls.every((c) => isLoggingCall(c.name)) && fn.returns.every((r) => !r.value);
}

/** Spec R16 importer bullet 2: the pinned revoke callback only defers the work. */
function deferringRevokeCallbacks(context: RuleContext): RuleReport[] {
  return context.functions.flatMap((fn) => fn.calls.filter((c) => SET_REVOKE.has(c.name)).flatMap((call): RuleReport[] => {
    const position = apiRow(call.name)?.roles.find((r) => r.role === 'dmabuf')?.arg ?? 1;
    const cb = fnNamed(context, call.args[position]);
    if (!cb) return [];
    const work = cb.calls.filter((c) => !isLoggingCall(c.name));
    const defers = work.filter((c) => DEFER.has(c.name));
    const onlyDefers = work.every((c) => DEFER.has(c.name)) && (defers.length > 0 || cb.assignments.length > 0);
    if (!onlyDefers) return [];
    return [{
      span: firstAdded(cb.span) ? { lines: [cb.span.lines[0]!], column: cb.span.column } : call.span,
      function: cb.name,
      message: `${cb.name}(), the revoke callback given to ${call.name}(), only ${defers.length ? `defers the work (${defers[0]!.name}())` : 'sets state'} ` +
        'and returns while the hardware may still access the region: "The driver must ensure that the HW will no longer access the region before the revoke callback returns".',
      related: [{ span: call.span, message: `registration: ${call.name}()` }],
    }];
  }));
}

/** Spec R16 importer bullet 3: ib_umem_dmabuf_get_pinned_revocable_and_lock() returns locked; every way out must unlock. */
function unbalancedRevocableLocks(fn: FunctionFacts): RuleReport[] {
  return fn.calls.filter((c) => REVOCABLE_LOCKED.has(c.name)).flatMap((call): RuleReport[] => {
    const from = lineOf(call.span);
    const holder = call.assignedTo;
    const failed = (guards: readonly { cond: Expr; positive: boolean }[]) => !!holder &&
      guards.some((g) => g.positive && g.cond.callNames.some((n) => /^IS_ERR/.test(n)) && g.cond.paths.includes(holder));
    const unlocks = fn.calls.filter((c) => REVOKE_UNLOCK.has(c.name) && lineOf(c.span) > from);
    const leaks = fn.returns.filter((r) => lineOf(r.span) > from && !failed(r.guards) &&
      !(holder && r.value?.paths.includes(holder)) &&
      !unlocks.some((u) => lineOf(u.span) <= lineOf(r.span) && dominates(u.guards, r.guards)));
    const gotoLeaks = fn.gotos.filter((g) => lineOf(g.span) > from && !failed(g.guards)).filter((g) => {
      const label = fn.labels.find((l) => l.name === g.label);
      return !!label && !unlocks.some((u) => lineOf(u.span) >= lineOf(label.span)) &&
        !unlocks.some((u) => lineOf(u.span) <= lineOf(g.span) && dominates(u.guards, g.guards));
    });
    const fallsOff = unlocks.length === 0 && leaks.length === 0 && gotoLeaks.length === 0;
    const exits = [...leaks, ...gotoLeaks].sort((a, b) => lineOf(a.span) - lineOf(b.span));
    if (!exits.length && !fallsOff) return [];
    return [{
      span: call.span,
      function: fn.name,
      severity: 'error',
      message: `${call.name}() returns with the dma_resv lock held, and ` +
        (exits.length ? `${exits.length === 1 ? 'a path leaves' : `${exits.length} paths leave`} ${fn.name}() without ib_umem_dmabuf_revoke_unlock()` :
          `${fn.name}() never calls ib_umem_dmabuf_revoke_unlock()`) +
        ': the reservation stays locked and every later map, revoke or release of the buffer deadlocks.',
      related: exits.map((x) => ({ span: x.span, message: 'leaves with the lock held (error path)' })),
    }];
  });
}

/** Spec R16 importer bullet 4 (info): a long-lived pinned import of peer memory that cannot be revoked. */
function nonRevocablePins(context: RuleContext): RuleReport[] {
  // a note on *new* imports: silent in file scans (the tree's existing importers), and on older targets
  if (context.patch.kind === 'c-file' || isBefore(context.era, PROVIDER_ERA)) return [];
  const inits = allInitializers(context);
  const peerOps = inits.filter((i) => i.fields.some((f) => PEER_OPT_IN.has(f.field) && !/^(false|0)$/.test(f.value.text)));
  // an op that does nothing is the stub bullet's finding, not this one
  const revocable = peerOps.some((i) => i.fields.some((f) => INVALIDATE_OPS.has(f.field)));
  // the import API's own implementations (ib_umem_dmabuf_get_pinned() wrapping the _with_dma_device form) are not importers
  return context.functions.filter((fn) => !apiRow(fn.name)?.roles.some((r) => r.role === 'dmabuf'))
    .flatMap((fn) => fn.calls.filter((c) => PIN_CALLS.has(c.name)).flatMap((call): RuleReport[] => {
    // ib_umem_dmabuf_get_pinned*() attaches with the core's peer2peer ops; dma_buf_pin() counts with the file's own peer ops
    const umem = call.name !== 'dma_buf_pin';
    if (!umem && (peerOps.length === 0 || revocable)) return [];
    return [{
      span: call.span,
      function: fn.name,
      severity: 'info',
      message: `${call.name}() pins a dma-buf that may hold peer memory with no way to revoke it: revoking exporters (vfio, uverbs) ` +
        'refuse such importers on 7.1+, so this will not attach to vfio/uverbs exports; use the pinned revocable import ' +
        '(ib_umem_dmabuf_get_pinned_revocable_and_lock() + ib_umem_dmabuf_set_revoke_locked()).',
    }];
  }));
}

