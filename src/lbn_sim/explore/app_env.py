"""The one name the explorer's command and page share (importing it needs no Solara)."""

FOLDER_VARIABLE = "LBN_SIM_EXPLORE_DIR"
"""The environment variable naming the folder of runs the explorer reads (set by
``python -m lbn_sim.explore DIR``)."""
