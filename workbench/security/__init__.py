"""Security building blocks (等保三级): passwords, second factor, roles, audit chain, uploads."""
