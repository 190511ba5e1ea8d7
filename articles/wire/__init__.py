"""Agency copy in: NITF and NewsML-G2 parsing (pure, no models) and the importer that files it."""
