"""Analysis of result tables (divergence, convergence, ensembles, money): reads tables, never
runs or imports the engine."""
