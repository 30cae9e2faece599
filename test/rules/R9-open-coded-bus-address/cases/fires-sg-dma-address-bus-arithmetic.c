// R9 fires: bus addresses of a peer BAR made by hand and written into scatterlist DMA addresses.
struct demo_exp {
	struct pci_dev *pdev;
	struct p2pdma_provider *provider;
	u64 offset;
};

static void demo_fill_bus(struct scatterlist *sg, struct demo_exp *exp, size_t len)
{
	sg_set_page(sg, NULL, len, 0);
	// ruleid: R9
	sg_dma_address(sg) = pci_bus_address(exp->pdev, 2) + exp->offset;
	sg_dma_len(sg) = len;
}

static void demo_fill_local(struct scatterlist *sg, struct pci_dev *pdev, u64 off)
{
	pci_bus_addr_t bus = pci_bus_address(pdev, 4);

	// ruleid: R9
	sg->dma_address = bus + off;
}

static void demo_fill_region(struct scatterlist *sg, struct pci_dev *pdev, u64 off)
{
	struct pci_bus_region region;

	pcibios_resource_to_bus(pdev->bus, &region, &pdev->resource[0]);
	// ruleid: R9
	sg->dma_address = region.start + off;
}

static void demo_fill_offset(struct scatterlist *sg, struct demo_exp *exp, phys_addr_t paddr)
{
	// ruleid: R9
	sg->dma_address = paddr + exp->provider->bus_offset;
}

static void demo_fill_cpu_phys(struct scatterlist *sg, struct demo_exp *exp)
{
	dma_addr_t addr = pci_resource_start(exp->pdev, 2);

	// ruleid: R9
	sg->dma_address = addr;
}
