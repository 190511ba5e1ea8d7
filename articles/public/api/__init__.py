"""The read API at /api/v1/: published stories in IPTC ninjs 2.1, and what they are filed under."""
