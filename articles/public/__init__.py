"""What readers see: pages, feeds, sitemaps and the read API share these pieces."""
