import { firstAdded, identifiersOf } from '../analysis/file-analysis.js';
import type { Call, Expr, FunctionFacts, Initializer } from '../analysis/facts.js';
import { describeEra, isBefore } from '../analysis/kernel-era.js';
import { LIST_MAP_CALLS, SINGLE_MAP_CALLS } from '../analysis/p2p-api.js';
import { resultUse } from '../analysis/result-use.js';
import type { Taint } from '../analysis/value-flow.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

/** Calls that establish (or enforce per transfer) that the client can reach the provider (spec B6). */
const TOPOLOGY_CHECKS: ReadonlySet<string> = new Set([
  'pci_p2pdma_distance', 'pci_p2pdma_distance_many', 'pci_p2pmem_find', 'pci_p2pmem_find_many', 'pci_p2pdma_map_type',
  'pci_p2pdma_state', 'pci_p2pdma_map_segment', 'dma_buf_phys_vec_to_sgt', 'blk_rq_dma_map_iter_start',
]);
const DISTANCE_CALLS: ReadonlySet<string> = new Set(['pci_p2pdma_distance', 'pci_p2pdma_distance_many']);
/** Calls that hand out a provider's memory: p2pmem, an MMIO provider, BAR addresses. */
const PROVIDER_SOURCES: ReadonlySet<string> = new Set([
  'pci_alloc_p2pmem', 'pci_p2pmem_alloc_sgl', 'pcim_p2pdma_provider', 'pci_resource_start', 'pci_bus_address',
]);
const BUS_ADDR_MAP = 'pci_p2pdma_bus_addr_map';
/** Calls that turn device memory into addresses for an importer (dma-buf exporters). */
const DEVICE_MEMORY_MAPPERS: ReadonlySet<string> = new Set(['dma_map_resource', BUS_ADDR_MAP, 'dma_buf_phys_vec_to_sgt']);
/** nvmet chooses its p2p_dev with pci_p2pmem_find_many() or checks it with pci_p2pdma_distance(). */
const NVMET = /^drivers\/nvme\/target\//;

export const r4: Rule = {
  meta: {
    id: 'R4',
    slug: 'p2p-topology-unchecked',
    name: 'Provider and client paired without a reachability check',
    defaultSeverity: 'warning',
    versions: 'all: pci_p2pdma_distance*() (4.20+), pci_p2pdma_state() (6.16+), pci_p2pdma_map_type(provider, dev) (6.19 export); dma_map_sg*() enforce the map type per entry from 6.0',
    summary: 'Provider memory is handed to another device without pci_p2pdma_distance*()/pci_p2pmem_find*()/pci_p2pdma_map_type(), or the check is ignored.',
    why: 'P2P works only below a common switch without ACS redirect, or through an allow-listed host bridge. hch: "Callers need to check the reachability first before submitting P2P I/O." Jason lists "allowing P2P DMA without using the p2p dma API to validate that it can work at all" among the functional bugs of DRM-style exporters.',
    firesWhen: [
      'a function takes provider memory (pci_alloc_p2pmem, pci_p2pmem_alloc_sgl, pcim_p2pdma_provider, or a BAR pci_resource_start used for DMA) for use by a different device (attach->dev, a client struct device *, another pci_dev), and no pci_p2pdma_distance*, pci_p2pmem_find*, pci_p2pdma_map_type or pci_p2pdma_state call appears on that path',
      'a negative result of pci_p2pdma_distance* is ignored ((void) or only logged)',
      'a dma-buf exporter maps device memory for an importer without checking attach->peer2peer',
    ],
    mustNotFire: [
      'the provider and the client are the same device (nvme-pci CMB for its own SQ, distance 0)',
      'the mapping goes through dma_map_sgtable on 6.0+, whose per-entry map type enforces NOT_SUPPORTED (then the checker should only see whether -EREMOTEIO is handled)',
      'nvmet with pci_p2pmem_find_many',
      'a patch that checks reachability in another function or file it touches (hl_dmabuf_attach() calling pci_p2pdma_distance_many() for hl_map_dmabuf())',
      'checks that may sit outside the lines the patch shows: an exporter whose ops table names an attach callback the patch does not show (or whose ops table is not shown), provider memory that reaches the function through a field set elsewhere',
    ],
    fix: 'Check reachability before handing peer memory to the client: pci_p2pdma_distance(provider, client, true) < 0 means no. On 6.19+ use pci_p2pdma_map_type(provider, dev) and refuse PCI_P2PDMA_MAP_NOT_SUPPORTED.',
    references: [
      { messageId: '20210622121546.GN1096940@ziepe.ca', title: 'Jason Gunthorpe on habanalabs dma-buf' },
      { messageId: '20260401141706.GA22165@lst.de', title: 'hch on "[RFC PATCH] nvme: enable PCI P2PDMA support for RDMA transport"' },
    ],
    examples: {
      fires: 'buf = pci_alloc_p2pmem(provider, len);\naddr = dma_map_single(&client->dev, buf, len, DMA_TO_DEVICE);',
      quiet: 'if (pci_p2pdma_distance(provider, &client->dev, true) < 0)\n\treturn;\nbuf = pci_alloc_p2pmem(provider, len);\naddr = dma_map_single(&client->dev, buf, len, DMA_TO_DEVICE);',
    },
    triggers: [...PROVIDER_SOURCES, ...DISTANCE_CALLS, BUS_ADDR_MAP, 'pci_p2pmem_virt_to_bus', 'map_dma_buf'],
  },

  check(context) {
    // What the patched tree holds: a check that the patch removes does not count.
    const patchIds = identifiersOf(context.patch.files, '+ ');
    const checked = [...TOPOLOGY_CHECKS].some((c) => patchIds.has(c)) || NVMET.test(context.file.path);
    return [
      ...(checked ? [] : context.functions.flatMap((fn) => uncheckedHandOffs(context, fn))),
      ...context.functions.flatMap((fn) => ignoredDistances(fn)),
      ...(patchIds.has('peer2peer') ? [] : exportersWithoutPeer2Peer(context)),
    ].filter((r) => firstAdded(r.span));
  },
};

interface HandOff {
  /** What is handed over, for the message. */
  what: string;
  taint: Taint;
  client: string;
}

/** Provider memory mapped for a visibly different device, with no reachability check in the patch. */
function uncheckedHandOffs(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  return fn.calls.flatMap((call) => {
    const handOff = handOffOf(context, fn, call);
    if (!handOff) return [];
    return [{
      span: call.span,
      function: fn.name,
      era: LIST_MAP_CALLS.has(call.name) ? describeEra(context.era) : undefined,
      message: `${call.name}() hands ${handOff.what} to ${handOff.client} ` +
        'without a reachability check: nothing in the patch calls pci_p2pdma_distance*(), pci_p2pmem_find*() or pci_p2pdma_map_type().',
      related: handOff.taint.span ? [{ span: handOff.taint.span, message: `provider memory: ${handOff.taint.via}` }] : [],
    }];
  });
}

function handOffOf(context: RuleContext, fn: FunctionFacts, call: Call): HandOff | undefined {
  const taint = context.file.taintOf(fn);
  if (call.name === BUS_ADDR_MAP) {
    const provider = call.args[0];
    const t = provider && taint.of(provider);
    const importer = fn.params.find((p) => /\bdma_buf_attachment\b/.test(p.type));
    if (!t || !isProviderTaint(t) || !importer || attachCallbackHidden(context)) return undefined;
    const what = `a bus address of ${call.args[1]?.text ?? 'the range'} (provider from ${t.via})`;
    return { what, taint: t, client: `the dma-buf importer ${importer.name}->dev` };
  }
  const memory = sinkMemory(context, call);
  const t = memory && taint.of(memory);
  const client = memory && t && call.args[0] ? clientDevice(context, fn, call, t) : undefined;
  if (!memory || !t || !isProviderTaint(t) || !client || sameDevice(context, call.args[0]!)) return undefined;
  if (mayBeCheckedElsewhere(context, fn, client)) return undefined;
  return { what: `${memory.text} (provider memory from ${t.via})`, taint: t, client: client.text };
}

/**
 * The check may sit outside the visible lines: in the exporter's attach callback (not shown, or
 * the ops table not shown), or wherever a client's provider memory was set up when this function
 * does not take the memory itself.
 */
function mayBeCheckedElsewhere(context: RuleContext, fn: FunctionFacts, client: Client): boolean {
  if (client.importer) return attachCallbackHidden(context);
  return !fn.calls.some((c) => PROVIDER_SOURCES.has(c.name));
}

function attachCallbackHidden(context: RuleContext): boolean {
  const ops = allInitializers(context).filter((i) => i.fields.some((f) => f.field === 'map_dma_buf'));
  return ops.length === 0 || ops.some((i) => attachHidden(context, i));
}

/** The ops table names an attach callback the patch does not show (where the checks usually are). */
function attachHidden(context: RuleContext, ops: Initializer): boolean {
  return ops.fields.some((f) => f.field === 'attach' && !context.functions.some((fn) => fn.name === f.value.text));
}

/** The memory argument of a call that maps for the device in its first argument. */
function sinkMemory(context: RuleContext, call: Call): Expr | undefined {
  const index = SINGLE_MAP_CALLS.get(call.name) ?? (call.name === 'dma_map_resource' ? 1 : undefined);
  if (index !== undefined) return call.args[index];
  // From 6.0 the list mappers refuse unreachable P2P entries themselves (NOT_SUPPORTED -> -EREMOTEIO).
  return LIST_MAP_CALLS.has(call.name) && isBefore(context.era, 6000) ? call.args[1] : undefined;
}

function isProviderTaint(t: Taint): boolean {
  return t.origin === 'p2pmem' || (t.origin === 'bar' && /^(pci_resource_start|pci_bus_address)\(\)/.test(t.via));
}

interface Client {
  text: string;
  importer: boolean;
}

/**
 * The device a mapping is for, when it is not the provider's: `attach->dev` of a dma-buf
 * attachment (by its declared type), or any other device than the one the memory came from
 * (the taint's owner, followed through the locals that hold it). Names are never evidence.
 */
function clientDevice(context: RuleContext, fn: FunctionFacts, call: Call, t: Taint): Client | undefined {
  const dev = call.args[0]!;
  const types = new Map([...fn.params, ...(fn.locals ?? [])].map((p) => [p.name, p.type]));
  for (const path of dev.paths) {
    const parts = path.split('.');
    if (/\bdma_buf_attachment\b/.test(types.get(parts[0]!) ?? '') && parts.at(-1) === 'dev') {
      return { text: `the dma-buf importer ${dev.text}`, importer: true };
    }
  }
  const owner = t.owner;
  if (!owner || t.through) return undefined; // whose memory it is is not known here
  const own = (x: Expr) => (x.paths.some((p) => p === owner || p.startsWith(`${owner}.`)) ? true : undefined);
  if (context.file.taintOf(fn).trace(dev, call, own)) return undefined;
  return { text: `the client device ${dev.text}`, importer: false };
}

/** The client is the provider itself (distance 0): `&pdev->dev` for memory of `pdev`. */
function sameDevice(context: RuleContext, dev: Expr): boolean {
  const device = (p: string) => p.replace(/\.dev$/, '');
  const providers = new Set(context.functions.flatMap((f) => f.calls)
    .filter((c) => PROVIDER_SOURCES.has(c.name) && c.args[0]?.kind === 'path')
    .map((c) => device(c.args[0]!.name!)));
  return dev.kind === 'path' && providers.has(device(dev.name!));
}

/** pci_p2pdma_distance*() whose result is thrown away or only logged. */
function ignoredDistances(fn: FunctionFacts): RuleReport[] {
  return fn.calls.filter((c) => DISTANCE_CALLS.has(c.name)).flatMap((call) => {
    const use = resultUse(fn, call);
    if (use !== 'discarded' && use !== 'logged') return [];
    return [{
      span: call.span,
      function: fn.name,
      message: `The result of ${call.name}() is ${use === 'logged' ? 'only logged' : 'ignored'}: ` +
        'a negative distance means the devices cannot do P2P, and the transfer must be refused.',
    }];
  });
}

/** A dma_buf_ops whose map_dma_buf maps device memory, in a patch that never looks at attach->peer2peer. */
function exportersWithoutPeer2Peer(context: RuleContext): RuleReport[] {
  return allInitializers(context).flatMap((init) => {
    const field = init.fields.find((f) => f.field === 'map_dma_buf');
    const map = field?.value.kind === 'path' ? context.functions.find((f) => f.name === field.value.name) : undefined;
    const mapping = map && !attachHidden(context, init) && deviceMemoryMapping(context, map);
    if (!field || !mapping) return [];
    return [{
      span: firstAdded(field.span) ? field.span : mapping.span,
      function: map!.name,
      message: `${init.name}.map_dma_buf = ${map!.name}() maps device memory (${mapping.name}()) for any importer: ` +
        'nothing checks attach->peer2peer, so importers that need struct pages get MMIO addresses.',
      related: [{ span: mapping.span, message: `${mapping.name}() maps device memory` }],
    }];
  });
}

/** A call mapping device memory in `fn` or in the functions of the file it calls. */
function deviceMemoryMapping(context: RuleContext, fn: FunctionFacts, seen = new Set<string>()): Call | undefined {
  seen.add(fn.name);
  const direct = fn.calls.find((c) => DEVICE_MEMORY_MAPPERS.has(c.name) || !!handOffOf(context, fn, c));
  if (direct) return direct;
  for (const c of fn.calls) {
    const callee = seen.has(c.name) ? undefined : context.functions.find((f) => f.name === c.name);
    const found = callee && deviceMemoryMapping(context, callee, seen);
    if (found) return found;
  }
  return undefined;
}

function allInitializers(context: RuleContext): Initializer[] {
  return [...context.file.post.initializers, ...context.functions.flatMap((f) => f.initializers)];
}
