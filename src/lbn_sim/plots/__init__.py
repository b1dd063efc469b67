"""Figures drawn from result tables; never runs or imports the engine."""
