"""Running futures: one run end to end, its result tables, the command line, sweeps and
provenance."""
