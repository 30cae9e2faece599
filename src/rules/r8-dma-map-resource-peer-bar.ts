import { barAddresses, type BarAddress } from '../analysis/bar-addresses.js';
import { matchesAny } from '../analysis/core-files.js';
import type { Call, FunctionFacts, Guard, Initializer } from '../analysis/facts.js';
import { firstAdded } from '../analysis/file-analysis.js';
import { atoms } from '../analysis/expressions.js';
import { describeEra } from '../analysis/kernel-era.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

/** IOMMU and arch implementations of map_resource (spec R8, "must not fire"). */
const MAP_RESOURCE_IMPLEMENTATIONS = [/(^|\/)drivers\/iommu\//, /(^|\/)arch\//];
/** The identifiers that tell a dma-buf exporter (6.19+: error, the provider API exists). */
const DMA_BUF_EXPORTER = ['map_dma_buf', 'dma_buf_ops', 'dma_buf_export'];
const PROVIDER_API_VERSION = 6019;
const HOST_BRIDGE = 'PCI_P2PDMA_MAP_THRU_HOST_BRIDGE';
const MAP_RESOURCE_HOOK = /(^|_)map_resource$/;

export const r8: Rule = {
  meta: {
    id: 'R8',
    slug: 'p2p-dma-map-resource-peer-bar',
    name: 'dma_map_resource() used for PCI peer-to-peer',
    defaultSeverity: 'warning',
    versions: 'all: warning; 6.19+ (pci_p2pdma_map_type(provider, dev) and dma_buf_phys_vec_to_sgt() exist): error for new dma-buf exporters',
    summary: 'dma_map_resource() maps the BAR of one PCI device for another device.',
    why: 'dma_map_resource() maps "an arbitrary phys_addr_t". It does not take the pitfalls of PCI P2P into account: the offset between the CPU physical address and the PCIe bus address, and mapping between two devices behind a switch. With an IOMMU it returns an IOVA that the other endpoint does not understand. The 6.19 dma-buf helper calls the old approach "the dma_map_resource() abuse".',
    firesWhen: [
      'dma_map_resource(other_dev, X, ...) where X derives from pci_resource_start(pdev, bar), pci_bus_address, or a BAR phys of a different PCI device than other_dev, typically in a dma-buf map_dma_buf/attach callback or with attach->dev',
    ],
    mustNotFire: [
      'IOMMU/arch implementations of map_resource (iommu_dma_map_resource, drivers/iommu/amd/*, powerpc)',
      'DMA engines mapping a peripheral FIFO (dma_map_resource(chan_dev, fifo_phys, ...), non-PCI)',
      'dma_map_phys(..., DMA_ATTR_MMIO) inside a THRU_HOST_BRIDGE arm (6.18+: it forwards to dma_map_resource legitimately)',
    ],
    fix: 'For a PCI BAR consumed by another PCI device, use the P2PDMA provider API: pcim_p2pdma_provider() + pci_p2pdma_map_type(provider, dev) + dma_buf_phys_vec_to_sgt() (or the BUS_ADDR/THRU_HOST_BRIDGE switch). dma_map_resource ignores bus offsets and switch routing.',
    references: [
      { messageId: '20210624054003.GB25165@lst.de', title: 'hch on "habanalabs: add support for dma-buf exporter"' },
      { messageId: 'Yxi5h09JAzIo4Kh8@infradead.org', title: 'hch on "vfio/pci: Allow MMIO regions to be exported through dma-buf" v2' },
      { messageId: '20190523094322.GA14986@lst.de', title: 'hch on mapping PCI BARs with dma_map_resource()' },
      { messageId: '20251120-dmabuf-vfio-v9-6-d7f71607f371@nvidia.com', title: '[PATCH v9 06/11] dma-buf: provide phys_vec to scatter-gather mapping routine' },
    ],
    examples: {
      fires: "addr = dma_map_resource(attach->dev, pci_resource_start(pdev, bar) + offset, size, dir, 0);",
      quiet: "fifo = dma_map_resource(chan->device->dev, res->start + FIFO_OFFSET, 4, DMA_TO_DEVICE, 0);",
    },
    triggers: ['dma_map_resource'],
  },

  check(context) {
    if (matchesAny(context.file.path, MAP_RESOURCE_IMPLEMENTATIONS)) return [];
    const implementations = mapResourceImplementations(context);
    const addresses = barAddresses(context.file);
    return context.functions
      .filter((fn) => !implementations.has(fn.name) && !MAP_RESOURCE_HOOK.test(fn.name))
      .flatMap((fn) => fn.calls
        .filter((call) => call.name === 'dma_map_resource' && firstAdded(call.span))
        .flatMap((call) => {
          const view = addresses(fn);
          const [dev, phys] = call.args;
          const bar = phys ? view.of(phys) : undefined;
          if (!dev || !phys || !bar || view.isOwnDevice(bar, dev)) return [];
          if (inHostBridgeArm(call.guards)) return [];
          return [report(context, fn, call, bar)];
        }));
  },
};

function report(context: RuleContext, fn: FunctionFacts, call: Call, bar: BarAddress): RuleReport {
  const [dev, phys] = call.args;
  const exporter = isExporterOnProviderEra(context);
  return {
    span: call.span,
    function: fn.name,
    severity: exporter ? 'error' : 'warning',
    ...(exporter ? { era: describeEra(context.era) } : {}),
    message: `dma_map_resource() maps ${phys!.text}, ${describe(bar, phys!.text)}, for device ${dev!.text}: ` +
      'dma_map_resource() ignores the CPU-to-bus offset and switch (BUS_ADDR) routing of PCI peer-to-peer, ' +
      'and with an IOMMU it returns an IOVA the peer cannot use.' +
      (exporter ? ' This dma-buf exporter targets a kernel with pcim_p2pdma_provider()/dma_buf_phys_vec_to_sgt().' : ''),
    related: [
      ...(bar.span ? [{ span: bar.span, message: `BAR address: ${bar.via}` }] : []),
      ...(bar.through ? [{ span: bar.through.call.span, message: `passed in by this call of ${fn.name}()` }] : []),
    ],
  };
}

function describe(bar: BarAddress, shown: string): string {
  const via = bar.via === shown ? '' : ` (${bar.via})`;
  switch (bar.kind) {
    case 'cpu-phys': return `the CPU physical address of a PCI BAR${via}`;
    case 'bus': return `a PCI bus address${via}`;
    default: return `a PCI BAR address${via}`;
  }
}

function isExporterOnProviderEra(context: RuleContext): boolean {
  const ids = context.file.post.identifiers;
  return context.era.min !== undefined && context.era.min >= PROVIDER_API_VERSION && DMA_BUF_EXPORTER.some((id) => ids.has(id));
}

/**
 * The THRU_HOST_BRIDGE arm of a P2PDMA map-type decision: the route is known to cross the host
 * bridge, where mapping the BAR as MMIO is what dma_map_phys(..., DMA_ATTR_MMIO) does too.
 */
function inHostBridgeArm(guards: readonly Guard[]): boolean {
  return guards.some((g) => {
    if (g.kind === 'case') return !!g.labels?.includes(HOST_BRIDGE);
    return atoms(g.cond, g.positive).some(({ expr, positive }) =>
      expr.kind === 'binary' && expr.identifiers.includes(HOST_BRIDGE) &&
      ((expr.name === '==' && positive) || (expr.name === '!=' && !positive)));
  });
}

/** Functions installed as `.map_resource` of an ops table: they are the mapping layer itself. */
function mapResourceImplementations(context: RuleContext): Set<string> {
  const initializers: Initializer[] = [...context.file.post.initializers, ...context.functions.flatMap((f) => f.initializers)];
  return new Set(initializers.flatMap((i) => i.fields.filter((f) => f.field === 'map_resource').map((f) => f.value.text)));
}
