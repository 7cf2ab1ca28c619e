"""Statistics protection: cell key perturbation, then small-cell suppression (DESIGN.md §11).

Perturbation (the cell key method of the UK's ONS): every report and confirmation carries a
random record key (0..255) drawn once at write time; a cell's key is the sum of its records'
keys modulo 256, computed in SQL next to its count (`cell_key`); the published count is
`count + pvalue(count, cell key)` from the perturbation table (`PTable`), a reviewed data
file. The same cell always gets the same value, and two overlapping cells differ by their
records' keys, so their noise is independent and their difference stays noisy.

Suppression then runs on the published (perturbed) counts. A count between 1 and k-1 is
withheld (null, `<code>_suppressed: true`), never shown as zero. Within a partition of a
shown total (category groups, gender, age bands, forwarded or not, resolved or not) one
withheld cell alone could be recovered as the total minus the others, so the smallest other
non-zero cell is withheld too; and when the total is withheld, the cells of a partition must
not all be shown (their sum would give it away). A derived value (rate, share, mean, median,
change) is withheld when any count it rests on is withheld.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.sql import ColumnElement

KEY_RANGE = 256  # record keys 0..255, as the ONS uses
DEFAULT_TABLE = Path(__file__).with_name("perturbation_table.csv")


class PerturbationTableError(ValueError):
    """The perturbation table file is malformed."""


@dataclass(frozen=True)
class PTable:
    """A perturbation table in the ONS format (pcv, ckey, pvalue), pcv 1..max_pcv.

    Counts above `max_pcv` use the row of `max_pcv` (the same as the ONS package on this table
    written out to its 750 rows); zero is never perturbed.
    """

    rows: tuple[tuple[int, ...], ...]  # rows[pcv - 1][ckey] = pvalue
    source: str

    @property
    def max_pcv(self) -> int:
        return len(self.rows)

    def pvalue(self, count: int, ckey: int) -> int:
        if count <= 0:
            return 0
        return self.rows[min(count, self.max_pcv) - 1][ckey % KEY_RANGE]

    def perturb(self, count: int, ckey: int) -> int:
        """count + pvalue: what the ONS method publishes (before any threshold)."""
        return count + self.pvalue(count, ckey)

    def protect(self, count: int | None, ckey: int | None, k: int) -> int | None:
        """The count to publish (before suppression) for a cell of `count` records whose cell
        key is `ckey`: the perturbed count, except that a cell whose true count is 1..k-1
        stays within 1..k-1, so suppression below k withholds it whatever its noise (a
        published value is never a small true count moved up, nor one moved down to 0)."""
        if count is None:
            return None
        published = self.perturb(count, ckey or 0)
        return min(max(published, 1), k - 1) if small(count, k) else published

    def as_records(self) -> list[dict[str, int]]:
        return [
            {"pcv": pcv, "ckey": ckey, "pvalue": value}
            for pcv, row in enumerate(self.rows, start=1)
            for ckey, value in enumerate(row)
        ]

    def summary(self) -> list[dict[str, object]]:
        """Per pcv: the distribution of the noise (pvalue -> probability) and its variance."""
        out: list[dict[str, object]] = []
        for pcv, row in enumerate(self.rows, start=1):
            dist = {v: row.count(v) / KEY_RANGE for v in sorted(set(row))}
            out.append(
                {
                    "pcv": pcv if pcv < self.max_pcv else f"{pcv}+",
                    "probabilities": {str(v): round(p, 4) for v, p in dist.items()},
                    "mean": round(sum(v * p for v, p in dist.items()), 6),
                    "variance": round(sum(v * v * p for v, p in dist.items()), 4),
                }
            )
        return out


def read_table(path: Path) -> PTable:
    """Read and validate a perturbation table: every (pcv, ckey) once, pcv 1..n, ckey
    0..255, and no published count below zero."""
    cells: dict[tuple[int, int], int] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or set(reader.fieldnames) != {"pcv", "ckey", "pvalue"}:
            raise PerturbationTableError(f"{path}: columns must be pcv, ckey, pvalue")
        for line in reader:
            try:
                key = (int(line["pcv"]), int(line["ckey"]))
                value = int(line["pvalue"])
            except ValueError as exc:
                raise PerturbationTableError(f"{path}: not an integer: {line}") from exc
            if key in cells:
                raise PerturbationTableError(f"{path}: pcv {key[0]}, ckey {key[1]} twice")
            cells[key] = value
    n = max((pcv for pcv, _ in cells), default=0)
    in_range = all(pcv >= 1 and 0 <= ckey < KEY_RANGE for pcv, ckey in cells)
    # Distinct keys, all in range, n × 256 of them: every (pcv, ckey) is there.
    if n < 1 or not in_range or len(cells) != n * KEY_RANGE:
        raise PerturbationTableError(f"{path}: needs ckey 0..255 for every pcv 1..{n}")
    rows = []
    for pcv in range(1, n + 1):
        row = tuple(cells[(pcv, ckey)] for ckey in range(KEY_RANGE))
        if min(row) + pcv < 0:
            raise PerturbationTableError(f"{path}: pcv {pcv} would publish a negative count")
        rows.append(row)
    return PTable(tuple(rows), str(path))


@lru_cache(maxsize=4)
def perturbation_table(path: Path | None = None) -> PTable:
    """The table at `path` (default: the shipped one), read and validated once."""
    return read_table(path or DEFAULT_TABLE)


def cell_key(record_key, where=None) -> ColumnElement:
    """SQL: the cell key of the rows an aggregate sees (optionally FILTERed): sum mod 256."""
    total = func.sum(record_key)
    summed = total if where is None else total.filter(where)
    return func.coalesce(summed, 0) % KEY_RANGE


def small(count: int | None, k: int) -> bool:
    """Whether a count is a small cell (1..k-1); zero and None are not."""
    return count is not None and 0 < count < k


def published_single(ptable: PTable, count: int, ckey: int, k: int) -> int | None:
    """One count published on its own (a report's "me too" count): 0 stays 0; otherwise the
    perturbed count, or None (withheld) when the true or the published count is below k."""
    if count <= 0:
        return 0
    published = ptable.protect(count, ckey, k)
    return None if published is None or published < k else published


def protect_partition(cells: Mapping[str, int], total_shown: bool, k: int) -> set[str]:
    """Codes to withhold among `cells`, which add up to a total (shown or not)."""
    hidden = {code for code, value in cells.items() if small(value, k)}
    others = [(v, c) for c, v in cells.items() if c not in hidden and v > 0]
    # A shown total with one hidden cell gives it away; so do fully shown cells of a hidden
    # total (they add up to it).
    if others and ((total_shown and len(hidden) == 1) or (not total_shown and not hidden)):
        hidden.add(min(others)[1])
    return hidden


def withhold_complements(
    cells: Sequence[tuple[Hashable, Mapping[str, str], int | None]], hidden: Iterable[int]
) -> set[int]:
    """Cells (by index) to withhold, besides `hidden`, so that no withheld count comes back by
    subtraction; `cells` are (table, disaggregation, count or None when not a count).

    The cells of one table that differ in one disaggregation key only (every mahalle, every
    age band...) add up to the cell without that key (the headline for one-key cells). When
    that total is shown and exactly one of its parts is withheld, the smallest other part
    goes too (a zero one if no other is left); when the total is withheld and every part is
    shown, the smallest part goes. Repeated until nothing changes: a cell withheld for one
    total can be a part of another. Each table stands alone (a period is not summed from
    shorter ones here); a part that is the only one entered is left as it is (the total
    does not tell whether other parts exist).
    """
    index = {(table, frozenset(d.items())): i for i, (table, d, _) in enumerate(cells)}
    parts: dict[tuple, list[int]] = defaultdict(list)
    for (table, cell), i in index.items():
        for key, _ in cell:
            parts[(table, frozenset(kv for kv in cell if kv[0] != key), key)].append(i)
    withheld, added = set(hidden), set()
    changed = True
    while changed:
        changed = False
        for (table, rest, _), members in parts.items():
            total = index.get((table, rest))
            if total is None or any(
                cells[i][2] is None and i not in withheld for i in [total, *members]
            ):
                continue  # no total, or shown values that are not counts: no sum to undo
            out = [i for i in members if i in withheld]
            # The smallest other count goes; a zero only when no other is left (a shown 0
            # beside one withheld part gives it away as the total).
            shown = sorted((cells[i][2] == 0, cells[i][2], i) for i in members if i not in withheld)
            if shown and (len(out) == 1 if total not in withheld else not out):
                withheld.add(shown[0][2])
                added.add(shown[0][2])
                changed = True
    return added
