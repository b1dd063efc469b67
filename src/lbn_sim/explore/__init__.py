"""The explorer: a browser page over a sweep's places, and variants run while you wait.

``python -m lbn_sim.explore [DIR]`` (the ``explorer`` extra: Solara) serves
:mod:`lbn_sim.explore.app`. What it shows is read by :mod:`lbn_sim.explore.places` (a
place's table, figure and maps from finished runs) and run by
:mod:`lbn_sim.explore.variant` (a future with some levers moved, on a reduced synthetic
England); those two need no Solara.
"""
