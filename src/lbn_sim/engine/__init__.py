"""The engine: state, start-year setup, the yearly step, the mechanisms, money and indicators.

It imports nothing from :mod:`lbn_sim.runs`, :mod:`lbn_sim.analysis`, :mod:`lbn_sim.plots` or
:mod:`lbn_sim.compare` (``tests/test_layers.py``).
"""
