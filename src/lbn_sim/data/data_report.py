"""The data report written with every real-data run: what was read, kept and dropped.

:func:`lbn_sim.data.england.load_england` fills a :class:`DataReport`; runs write
it as ``data_report.md`` beside their tables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lbn_sim.data.files import CREDIT, FILES
from lbn_sim.names import START_GROUPS

#: The start groups of the ward table, in report order.


@dataclass(frozen=True, slots=True)
class DroppedWard:
    """A ward found in some source but not kept, and why.

    ``lsoa_names``: names of the ward's LSOAs in the population file (they
    locate wards that have no name elsewhere, e.g. ``City of London 001A``).
    """

    ward_code: str
    ward_name: str | None
    la_code: str | None
    la_name: str | None
    in_cni: bool
    in_imd: bool
    has_population: bool
    population: float | None
    missing_values: tuple[str, ...] = ()
    lsoa_names: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """Why the ward was dropped, in words."""
        parts: list[str] = []
        if not self.in_cni:
            parts.append("no row in the CNI (cni2019_england_ward17.csv)")
        if not self.in_imd:
            parts.append("no row in the ward IMD (imd2019_england_ward17.csv)")
        if not self.has_population:
            parts.append("no LSOA in the lookup (population unknown)")
        if self.missing_values:
            parts.append("missing value(s) in " + ", ".join(self.missing_values))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class RuleCase:
    """A kept ward on which the published flag and the 10%-on-both rule disagree."""

    ward_code: str
    ward_name: str
    la_name: str
    imd_rank: int
    cni_rank: int
    flagged: bool
    by_rule: bool


@dataclass(slots=True)
class DataReport:
    """What :func:`load_england` read, kept, dropped and found.

    Populations are residents (mid-2019). Ranks are among the kept wards,
    1 = most deprived (ties share the lowest rank); 'most deprived 10%' means
    rank <= ``decile_cutoff`` = floor(n_kept / 10).
    """

    data_dir: str
    n_cni_wards: int
    n_imd_wards: int
    n_population_wards: int
    n_lsoas_england: int
    n_lsoas_other: int
    n_kept: int
    n_local_authorities: int
    dropped: list[DroppedWard]
    n_left_behind: int
    left_behind_population: float
    kept_population: float
    england_population: float
    group_wards: dict[str, int]
    group_population: dict[str, float]
    decile_cutoff: int
    rule_n_found: int
    rule_n_found_flagged: int
    rule_disagreements: list[RuleCase]
    files_verified: bool = False
    extra_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    load_seconds: float = float("nan")

    @property
    def dropped_codes(self) -> list[str]:
        """Codes of every dropped ward, sorted."""
        return sorted(d.ward_code for d in self.dropped)

    @property
    def rule_flagged_not_found(self) -> list[str]:
        """Flagged wards that the 10%-on-both rule does not find."""
        return [c.ward_code for c in self.rule_disagreements if c.flagged and not c.by_rule]

    @property
    def rule_found_not_flagged(self) -> list[str]:
        """Wards the 10%-on-both rule finds that are not flagged."""
        return [c.ward_code for c in self.rule_disagreements if c.by_rule and not c.flagged]

    def to_markdown(self) -> str:
        """The report as a Markdown document."""
        out: list[str] = [
            "# England ward data report",
            "",
            f"Data directory: `{self.data_dir}` ("
            + (
                f"all {len(FILES)} files match their pinned SHA-256"
                if self.files_verified
                else "SHA-256 not checked"
            )
            + ").",
            "",
            "## Wards",
            "",
            "| count | wards |",
            "| --- | ---: |",
            f"| in the CNI (`cni2019_england_ward17.csv`) | {self.n_cni_wards:,} |",
            f"| in the ward IMD (`imd2019_england_ward17.csv`) | {self.n_imd_wards:,} |",
            f"| English wards with population (LSOA lookup) | {self.n_population_wards:,} |",
            f"| kept (CNI, IMD and population) | {self.n_kept:,} |",
            f"| dropped (listed below) | {len(self.dropped):,} |",
            f"| local authorities of kept wards | {self.n_local_authorities:,} |",
            "",
            f"English LSOAs summed: {self.n_lsoas_england:,} "
            f"({self.england_population:,.0f} residents); "
            f"other (Welsh) LSOAs in the lookup, ignored: {self.n_lsoas_other:,}.",
            "",
            "## Dropped wards",
            "",
        ]
        if self.dropped:
            out += [
                "| ward | name | local authority | residents | reason |",
                "| --- | --- | --- | ---: | --- |",
            ]
            for d in self.dropped:
                name = d.ward_name if d.ward_name is not None else "(no name in the data)"
                if d.ward_name is None and d.lsoa_names:
                    name += f"; LSOAs: {', '.join(d.lsoa_names)}"
                la = f"{d.la_name} ({d.la_code})" if d.la_code is not None else "(unknown)"
                pop = f"{d.population:,.0f}" if d.population is not None else "unknown"
                out.append(f"| `{d.ward_code}` | {name} | {la} | {pop} | {d.reason} |")
            dropped_pop = sum(d.population for d in self.dropped if d.population is not None)
            out += [
                "",
                f"Residents of dropped wards with a known population: {dropped_pop:,.0f}.",
            ]
        else:
            out.append("None.")
        out += [
            "",
            "## Start groups",
            "",
            f"`left_behind`: the published `Left Behind Area?` flag. `other_deprived`: not "
            f"flagged, in the most deprived 10% of kept wards by `imd_score` "
            f"(rank <= {self.decile_cutoff}). `rest`: the others.",
            "",
            "| group | wards | residents | share of residents |",
            "| --- | ---: | ---: | ---: |",
        ]
        for g in START_GROUPS:
            share = self.group_population[g] / self.kept_population
            out.append(
                f"| {g} | {self.group_wards[g]:,} | {self.group_population[g]:,.0f} | {share:.2%} |"
            )
        out.append(f"| all kept wards | {self.n_kept:,} | {self.kept_population:,.0f} | 100.00% |")
        out += [
            "",
            f"Left-behind wards: **{self.n_left_behind}**, holding "
            f"**{self.left_behind_population:,.0f}** residents.",
            "",
            "## The published flag against the rule",
            "",
            f"Rule: in the most deprived 10% of kept wards on both `imd_score` and `cni_score` "
            f"(rank <= {self.decile_cutoff} of {self.n_kept:,} on each). It finds "
            f"{self.rule_n_found} wards, {self.rule_n_found_flagged} of them flagged; "
            f"{len(self.rule_flagged_not_found)} flagged wards fail it and "
            f"{len(self.rule_found_not_flagged)} unflagged wards pass it. The flag was built "
            "from a slightly different ward-level IMD; it is the authority for the start year.",
            "",
        ]
        if self.rule_disagreements:
            out += [
                "| ward | name | local authority | IMD rank | CNI rank | flagged | rule |",
                "| --- | --- | --- | ---: | ---: | --- | --- |",
            ]
            for c in self.rule_disagreements:
                out.append(
                    f"| `{c.ward_code}` | {c.ward_name} | {c.la_name} | {c.imd_rank} "
                    f"| {c.cni_rank} | {'yes' if c.flagged else 'no'} "
                    f"| {'yes' if c.by_rule else 'no'} |"
                )
            out.append("")
        if self.extra_columns:
            out += [
                "## Extra columns",
                "",
                "Aggregated from LSOAs with mid-2019 residents as weights: "
                + ", ".join(f"`{c}`" for c in self.extra_columns)
                + ".",
                "",
            ]
        if self.notes:
            out += ["## Notes", ""] + [f"- {n}" for n in self.notes] + [""]
        out += ["## Sources and credit", ""]
        out += [f"- `{f.name}`: {f.description}. <{f.url}>" for f in FILES]
        out += ["", CREDIT, ""]
        return "\n".join(out)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`to_markdown` to ``path`` (e.g. ``data_report.md``); return the path."""
        target = Path(path)
        target.write_text(self.to_markdown(), encoding="utf-8")
        return target
