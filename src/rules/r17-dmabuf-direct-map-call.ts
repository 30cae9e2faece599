import { namesWith, roleOf, type DmabufPart } from '../analysis/catalogue.js';
import { matchesAny } from '../analysis/core-files.js';
import type { Expr, FunctionFacts, Guard, Initializer, Loop, Span } from '../analysis/facts.js';
import { atoms } from '../analysis/expressions.js';
import { firstAdded, lineOf } from '../analysis/file-analysis.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

/** The dma-buf core calls the ops itself (spec R17, "must not fire"; global trap 1). */
const DMA_BUF_CORE = [/(^|\/)drivers\/dma-buf\/dma-buf\.c$/, /(^|\/)drivers\/dma-buf\/dma-buf-mapping\.c$/];

const parts = (...p: DmabufPart[]) => namesWith('dmabuf', (r) => p.includes(r.part));
/** dma_buf_ops members that map or unmap for an attachment. */
const MAP_OPS = parts('map-op');
const IMPORT_MAP = parts('import-map');
const IMPORT_UMEM = parts('import-umem');
const UMEM_TYPE = parts('umem-type');
const PINNED_UMEM = new Set([...parts('pin', 'pin-revocable-locked')].filter((n) => IMPORT_UMEM.has(n)));
const CPU_ENTRY = parts('cpu-entry');
const CPU_WALK = parts('cpu-walk');
const PEER_OPT_IN = parts('importer-p2p');

export const r17: Rule = {
  meta: {
    id: 'R17',
    slug: 'p2p-dmabuf-direct-map-call',
    name: 'dma-buf mapped around the attachment API, or its CPU list touched',
    defaultSeverity: 'warning',
    versions: 'all dma-buf versions for the direct calls; the NULL CPU list is certain with phys_vec exporters (6.19+: vfio; 7.0+: uverbs/mlx5), and importers must never rely on struct pages in any version',
    summary: 'An importer calls dmabuf->ops->map_dma_buf()/unmap_dma_buf() itself, or uses the CPU side (sg_page, sg_virt, kmap, the CPU list) of an imported table.',
    why: 'Importers must map through dma_buf_map_attachment[_unlocked](): that is where the core asserts the dma_resv lock, pins the buffer, caches the table, waits for the exporter\'s fences and, with CONFIG_DMABUF_DEBUG, mangles page_link "to catch abuse of the underlying struct page by importers". The exporter\'s map_dma_buf returns a table "already mapped into the device address space of the &device attached"; with no attachment there is no device, no peer2peer negotiation and no revoke tracking, and peer/MMIO exporters dereference the attachment at once (dma_buf_phys_vec_to_sgt() starts with dma_resv_assert_held(attach->dmabuf->resv)). Their tables have a zero-length, NULL CPU list (orig_nents = 0, every sg_page() NULL): an importer walking the CPU list sees nothing or dereferences NULL. allow_peer2peer is the importer\'s promise that it "must be able to handle peer resources without struct pages".',
    firesWhen: [
      'an importer calls dmabuf->ops->map_dma_buf(...) or dmabuf->ops->unmap_dma_buf(...) directly instead of dma_buf_map_attachment*()/dma_buf_unmap_attachment*(), especially with a NULL attachment (error)',
      'code outside drivers/dma-buf/ calls attach->dmabuf->ops->map_dma_buf(attach, ...) with a real attachment, bypassing the core (warning)',
      'an importer uses the CPU side of an imported table (from dma_buf_map_attachment*(), umem_dmabuf->sgt or ib_umem_dmabuf_get*()): sg_page(), sg_virt(), sg_phys(), page_address(), kmap*(), sg_copy_*() or sg_miter_* on its entries (error when the attachment allowed peer2peer), or walks it by the CPU list (for_each_sgtable_sg, orig_nents, __sg_page_iter_start(..., orig_nents, ...)) (warning)',
    ],
    mustNotFire: [
      'drivers/dma-buf/dma-buf.c and drivers/dma-buf/dma-buf-mapping.c (the core calls the ops)',
      'exporters calling their own helpers',
      'importers that iterate with for_each_sgtable_dma_sg() and use only sg_dma_address()/sg_dma_len() (ib_umem_dmabuf_map_pages() in 6.12)',
      'CPU access through dma_buf_vmap()/dma_buf_begin_cpu_access(), the exporter-mediated CPU path',
      'importers of buffers from a known system-memory exporter in the same driver (self-import): the use runs only when dmabuf->ops is the driver\'s own ops, whose map_dma_buf in the patch builds its table from pages or kernel buffers (sg_alloc_table_from_pages(), sg_set_page(), ...) and shows no peer/MMIO export; a self-import of a BAR/P2P exporter, or of one whose map_dma_buf is not shown, still fires',
    ],
    fix: 'Attach with dma_buf_attach()/dma_buf_dynamic_attach() (set allow_peer2peer only if you never need struct pages), map with dma_buf_map_attachment[_unlocked]() under the documented locking, and use only the DMA side of the table (for_each_sgtable_dma_sg, sg_dma_address, sg_dma_len). A device that needs CPU access to the memory cannot import peer dma-bufs. Software RDMA devices must refuse dma-buf MRs.',
    references: [
      { messageId: '20251120-dmabuf-vfio-v9-6-d7f71607f371@nvidia.com', title: '[PATCH v9 06/11] dma-buf: provide phys_vec to scatter-gather mapping routine ("a fully zero-length and NULL\'d CPU list")' },
      { messageId: '20210622121546.GN1096940@ziepe.ca', title: 'Jason Gunthorpe: NULL sg_page among the functional bugs of peer exporters' },
      { messageId: '20260326052739.3778-2-yanjun.zhu@linux.dev', title: '[PATCH 1/2] RDMA/umem: Change for rdma devices has not dma device (dmabuf->ops->map_dma_buf(NULL, ...); unreviewed RFC)' },
      { messageId: '20260326052739.3778-3-yanjun.zhu@linux.dev', title: '[PATCH 2/2] sg_page() + kmap_local_page() on an imported table in rxe (unreviewed RFC)' },
    ],
    examples: {
      fires: 'dma_resv_lock(dmabuf->resv, NULL);\nsgt = dmabuf->ops->map_dma_buf(NULL, DMA_BIDIRECTIONAL);\ndma_resv_unlock(dmabuf->resv);',
      quiet: 'attach = dma_buf_dynamic_attach(dmabuf, dma_dev, &foo_attach_ops, priv);\ndma_resv_lock(dmabuf->resv, NULL);\nsgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);\ndma_resv_unlock(dmabuf->resv);\nfor_each_sgtable_dma_sg(sgt, sg, i)\n\tfoo_program(hw, sg_dma_address(sg), sg_dma_len(sg));',
    },
    triggers: [...MAP_OPS, ...IMPORT_MAP, ...IMPORT_UMEM].sort(),
  },

  check(context) {
    if (matchesAny(context.file.path, DMA_BUF_CORE)) return [];
    return context.functions.flatMap((fn) => [...directOpCalls(fn), ...cpuSideUses(context, fn)])
      .filter((r) => firstAdded(r.span));
  },
};

/** `X->ops->map_dma_buf(...)`: a call through the exporter's ops member, not through the core. */
function directOpCalls(fn: FunctionFacts): RuleReport[] {
  return fn.calls.flatMap((call) => {
    const segments = call.name.split('.');
    const op = segments.at(-1)!;
    if (segments.length < 2 || !MAP_OPS.has(op)) return [];
    const attachment = call.args[0];
    const none = !attachment || /^(NULL|0)$/.test(attachment.text);
    const core = op === 'map_dma_buf' ? 'dma_buf_map_attachment[_unlocked]()' : 'dma_buf_unmap_attachment[_unlocked]()';
    return [{
      span: call.span,
      function: fn.name,
      severity: none ? 'error' : 'warning',
      message: none
        ? `${call.expr.text} calls the exporter's ${op} with no attachment: there is no importing device, no peer2peer negotiation ` +
          `and no revoke tracking, and peer/MMIO exporters dereference the attachment at once (dma_buf_phys_vec_to_sgt() asserts attach->dmabuf->resv). ` +
          `Attach with dma_buf_attach()/dma_buf_dynamic_attach() and use ${core}.`
        : `${call.expr.text} calls the exporter's ${op} directly, bypassing ${core}: the core's locking assertions, pinning, ` +
          'table caching and fence waits do not run.',
    }];
  });
}

interface Table {
  /** Words for where the table came from. */
  origin: string;
  span: Span;
  /** The attachment allowed peer2peer (pinned RDMA imports always do). */
  peer: boolean;
}

interface Use {
  span: Span;
  what: string;
  entry: boolean;
}

/** CPU-side use of an imported table: one finding per table and function, at the first entry access. */
function cpuSideUses(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  const filePeer = optsIntoPeer(context);
  const tables = importedTables(context, fn, filePeer);
  if (tables.size === 0) return [];
  const tableOf = (e: Expr | undefined): Table | undefined => {
    if (!e) return undefined;
    if (e.kind === 'call' && (e.name === 'sg_next' || e.name === 'sg_page' || CPU_ENTRY.has(e.name!))) return tableOf(e.args[0]);
    if (e.kind === 'unary' && e.args[0]) return tableOf(e.args[0]);
    if (e.kind !== 'path') return undefined;
    return tables.get(e.name!);
  };
  const uses = new Map<Table, Use[]>();
  const own = ownExporterOps(context);
  const add = (t: Table | undefined, use: Use & { guards?: readonly Guard[] }) => {
    if (t && !(use.guards && selfImport(use.guards, own))) uses.set(t, [...(uses.get(t) ?? []), use]);
  };
  for (const call of fn.calls) {
    if (!CPU_ENTRY.has(call.name)) continue;
    const memory = roleOf(call.name, 'cpu-access')?.memory ?? [0];
    const arg = memory.map((i) => call.args[i]).find((a) => tableOf(a));
    if (arg) add(tableOf(arg), { span: call.span, what: `${call.name}()`, entry: true, guards: call.guards });
    if (call.name === '__sg_page_iter_start' && call.args.some((a) => a.paths.some((p) => p.endsWith('.orig_nents')))) {
      add(tableOf(call.args[1]), { span: call.span, what: `${call.name}() over orig_nents`, entry: false });
    }
  }
  for (const loop of loopsOf(fn)) {
    const it = roleOf(loop.name, 'entry-iterator');
    if (it && CPU_WALK.has(loop.name)) add(tableOf(loop.args[it.list]), { span: loop.span, what: `${loop.name}()`, entry: false });
    else if (it) {
      const count = loop.args.find((a) => a.paths.some((p) => p.endsWith('.orig_nents')));
      if (count) add(tableOf(loop.args[it.list]), { span: loop.span, what: `${loop.name}() over ${count.text}`, entry: false });
    }
  }
  return [...uses].map(([table, list]) => {
    const sorted = [...list].sort((a, b) => lineOf(a.span) - lineOf(b.span));
    const entry = sorted.find((u) => u.entry);
    const at = entry ?? sorted[0]!;
    const severity = entry && table.peer ? 'error' : 'warning';
    return {
      span: at.span,
      function: fn.name,
      severity,
      message: `${at.what} uses the CPU side of ${table.origin}, an imported dma-buf table` +
        (table.peer ? ' of an attachment that allows peer2peer' : '') +
        ': peer/MMIO exporters hand out tables whose CPU list is empty and NULL (orig_nents = 0, sg_page() NULL, dma_buf_phys_vec_to_sgt()), ' +
        'and no importer may rely on struct pages. Use only the DMA side (for_each_sgtable_dma_sg, sg_dma_address, sg_dma_len).',
      related: [
        { span: table.span, message: `imported table: ${table.origin}` },
        ...sorted.filter((u) => u !== at).map((u) => ({ span: u.span, message: `also uses the CPU side: ${u.what}` })),
      ],
    };
  });
}

/**
 * The file's own exporter ops tables whose exporter is known to hand out system memory (self-import:
 * a buffer the driver exported itself, spec R17 "must not fire"). issue 14 R17 (api2): known means
 * the ops' map_dma_buf, in the patch, builds its table from pages or kernel buffers (a catalogue
 * writer such as sg_alloc_table_from_pages()/sg_set_page(), in it or in a patch helper it calls) and
 * shows no peer/MMIO export (dma_buf_phys_vec_to_sgt(), a provider, a BAR, P2P memory).
 */
function ownExporterOps(context: RuleContext): Set<string> {
  const initializers: Initializer[] = [...context.file.post.initializers, ...context.functions.flatMap((f) => f.initializers)];
  return new Set(initializers.filter((i) => i.fields.some((f) => f.field === 'map_dma_buf' && systemMemoryMapper(context, f.value))).map((i) => i.name));
}

// issue 14 R17 (api2)
const MMIO_EXPORT = parts('mmio-export');

/** The exporter's map_dma_buf (the function the ops field names) builds its table from system memory. */
function systemMemoryMapper(context: RuleContext, value: Expr): boolean {
  const name = value.text.replace(/^&\s*/, '').trim();
  const fn = context.file.flow.functionNamed(name);
  if (!fn) return false;
  const helpers = fn.calls.map((c) => context.file.flow.functionNamed(c.name)).filter((h): h is FunctionFacts => !!h && h !== fn);
  const bodies = [fn, ...helpers];
  const peer = bodies.some((b) => {
    const flow = context.file.flow.flowOf(b);
    return b.calls.some((c) => MMIO_EXPORT.has(c.name) || c.args.some((a) => flow.all(a).some((t) => t.origin !== 'evidence')));
  });
  if (peer) return false;
  return bodies.some((b) => b.calls.some((c) => {
    const w = roleOf(c.name, 'writer');
    return !!w && c.args[w.from] !== undefined;
  }));
}
// end issue 14 R17 (api2)

/** The use runs only when the buffer's ops are the driver's own (`dmabuf->ops == &own_ops`). */
function selfImport(guards: readonly Guard[], own: ReadonlySet<string>): boolean {
  return guards.some((g) => g.kind !== 'case' && atoms(g.cond, g.positive).some(({ expr, positive }) =>
    expr.kind === 'binary' && ((expr.name === '==' && positive) || (expr.name === '!=' && !positive)) &&
    expr.paths.some((p) => p.endsWith('.ops')) && expr.identifiers.some((i) => own.has(i))));
}

/** The file's importer ops set allow_peer2peer (to anything but false). */
function optsIntoPeer(context: RuleContext): boolean {
  const initializers: Initializer[] = [...context.file.post.initializers, ...context.functions.flatMap((f) => f.initializers)];
  const yes = (e: Expr) => !/^(false|0)$/.test(e.text);
  return initializers.some((i) => i.fields.some((f) => PEER_OPT_IN.has(f.field) && yes(f.value))) ||
    context.functions.some((fn) => fn.assignments.some((a) => PEER_OPT_IN.has(a.lhs.split('.').at(-1)!) && yes(a.rhs)));
}

/**
 * Paths holding an imported table, its `sgl` or an entry of it: results of dma_buf_map_attachment*(),
 * the `sgt` of an ib_umem_dmabuf (returned by ib_umem_dmabuf_get*() or so declared), and what is
 * copied or iterated from them.
 */
function importedTables(context: RuleContext, fn: FunctionFacts, filePeer: boolean): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const c of fn.calls) {
    if (IMPORT_MAP.has(c.name) && c.assignedTo) tables.set(c.assignedTo, { origin: `${c.name}() result ${c.assignedTo}`, span: c.span, peer: filePeer });
    if (IMPORT_UMEM.has(c.name) && c.assignedTo) {
      tables.set(`${c.assignedTo}.sgt`, { origin: `${c.assignedTo}->sgt (${c.name}())`, span: c.span, peer: filePeer || PINNED_UMEM.has(c.name) });
    }
  }
  for (const v of [...fn.params, ...(fn.locals ?? [])]) {
    const typed = v.type.match(/\w+/g)?.some((w) => UMEM_TYPE.has(w));
    if (typed && !tables.has(`${v.name}.sgt`)) tables.set(`${v.name}.sgt`, { origin: `${v.name}->sgt`, span: fn.span, peer: filePeer });
  }
  if (tables.size === 0) return tables;
  const origin = (e: Expr | undefined): Table | undefined => {
    if (!e) return undefined;
    if (e.kind === 'call' && e.name === 'sg_next') return origin(e.args[0]);
    if (e.kind !== 'path') return undefined;
    return tables.get(e.name!) ?? tables.get(e.name!.replace(/\.sgl$/, ''));
  };
  for (let round = 0; round < 3; round++) {
    for (const a of fn.assignments) { const o = origin(a.rhs); if (o && !tables.has(a.lhs)) tables.set(a.lhs, o); }
    for (const loop of loopsOf(fn)) {
      const it = roleOf(loop.name, 'entry-iterator');
      if (!it || it.over !== 'list') continue;
      const o = origin(loop.args[it.list]);
      const entry = loop.args[it.entry];
      if (o && entry?.kind === 'path') tables.set(entry.name!, o);
    }
  }
  for (const [path, o] of [...tables]) if (!tables.has(`${path}.sgl`)) tables.set(`${path}.sgl`, o);
  return tables;
}

/** Iterator loops of the function; an iterator macro whose body has no braces parses as a call, and counts too. */
function loopsOf(fn: FunctionFacts): Pick<Loop, 'name' | 'args' | 'span'>[] {
  const loops = [...new Map([...fn.calls, ...fn.assignments].flatMap((f) => f.loops).map((l) => [l.id, l])).values()];
  const seen = new Set(loops.map((l) => lineOf(l.span)));
  return [...loops, ...fn.calls.filter((c) => roleOf(c.name, 'entry-iterator') && !seen.has(lineOf(c.span)))];
}

