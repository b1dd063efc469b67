"""The benchmark suite of lbn_sim: ``python -m benchmarks.run`` (see ``benchmarks/README.md``)."""
