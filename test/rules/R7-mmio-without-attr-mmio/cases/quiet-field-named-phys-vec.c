// R7 stays quiet: a field that happens to be called phys_vec, of a type not in sight, is no
// evidence of MMIO (the name is the driver's choice; the type would be).
// kernel-version: 6.19
static int example_map_host(struct device *dev, struct dma_iova_state *state, struct example_priv *priv,
			    enum dma_data_direction dir)
{
	/* ok: R7 */
	return dma_iova_link(dev, state, priv->phys_vec.paddr, 0, priv->phys_vec.len, dir, 0);
}
