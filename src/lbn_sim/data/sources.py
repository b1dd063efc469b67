"""The data sources a run can start from, named in words for titles, reports and the terminal."""

from __future__ import annotations

DATA_SOURCES: dict[str, str] = {
    "synthetic": "the synthetic England",
    "england_2019": "the real data of England, IMD and CNI 2019",
}
"""``data.name`` -> the data source in words (see :func:`data_words`)."""


def data_words(name: str | None, n_wards: int | None = None) -> str | None:
    """The data the runs come from in words, with the number of wards when known:
    ``"the synthetic England (300 synthetic wards)"``, ``"the real data of England, IMD
    and CNI 2019 (7,421 wards)"``; a name not in :data:`DATA_SOURCES` is quoted
    (``"the data `x` (12 wards)"``). None when ``name`` is None (not known)."""
    if name is None:
        return None
    words = DATA_SOURCES.get(name, f"the data `{name}`")
    if n_wards is None:
        return words
    kind = "synthetic wards" if name == "synthetic" else "wards"
    return f"{words} ({n_wards:,} {kind if n_wards != 1 else kind[:-1]})"
