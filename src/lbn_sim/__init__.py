"""lbn_sim: scenario simulations of England's 'left behind' neighbourhoods."""

from lbn_sim.runs.provenance import package_version

#: The installed version of lbn_sim (None when it runs without being installed).
__version__ = package_version("lbn_sim")
