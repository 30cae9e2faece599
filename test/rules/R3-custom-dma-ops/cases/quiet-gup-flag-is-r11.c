// R3 stays quiet on GUP flags: an unchecked FOLL_PCI_P2PDMA is reported once, by R11.
static int foo_pin(unsigned long uaddr, int n, struct page **pages)
{
	/* ok: R3 */
	return pin_user_pages_fast(uaddr, n, FOLL_WRITE | FOLL_PCI_P2PDMA, pages);
}
