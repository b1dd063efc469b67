"""Errors every layer shares."""

from __future__ import annotations


class ConfigError(ValueError):
    """A config value that composes but breaks a domain rule."""
