// R17 fires (error): the CPU side of umem_dmabuf->sgt in an RDMA driver; the pinned import
// attaches with the core's peer2peer ops.
static int qux_reg_dmabuf_mr(struct qux_mr *mr, struct ib_device *ibdev, u64 start, u64 len, int fd, int access)
{
	struct ib_umem_dmabuf *umem_dmabuf;
	struct scatterlist *sg;
	int i;

	umem_dmabuf = ib_umem_dmabuf_get_pinned(ibdev, start, len, fd, access);
	if (IS_ERR(umem_dmabuf))
		return PTR_ERR(umem_dmabuf);
	for_each_sgtable_dma_sg(umem_dmabuf->sgt, sg, i)
		// ruleid: R17(error)
		mr->page_list[i] = page_to_phys(sg_page(sg));
	return 0;
}
