"""Small-cell suppression of a mahalle's indicator row (primary, secondary, derived values).

A count between 1 and k-1 is withheld (null, `<code>_suppressed: true`), never shown as zero.
Within a partition of a shown total (category groups, gender, age bands, forwarded or not,
resolved or not) one withheld cell alone could be recovered as the total minus the others,
so the smallest other non-zero cell is withheld too; and when the total is withheld, the
cells of a partition must not all be shown (their sum would give it away). A derived value (rate, share, mean,
median, change) is withheld when any count it rests on is withheld.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.services.definitions import INDICATORS


def small(count: int | None, k: int) -> bool:
    """Whether a count is a small cell (1..k-1); zero and None are not."""
    return count is not None and 0 < count < k


def protect_partition(cells: Mapping[str, int], total_shown: bool, k: int) -> set[str]:
    """Codes to withhold among `cells`, which add up to a total (shown or not)."""
    hidden = {code for code, value in cells.items() if small(value, k)}
    others = [(v, c) for c, v in cells.items() if c not in hidden and v > 0]
    # A shown total with one hidden cell gives it away; so do fully shown cells of a hidden
    # total (they add up to it).
    if others and ((total_shown and len(hidden) == 1) or (not total_shown and not hidden)):
        hidden.add(min(others)[1])
    return hidden


def suppress_row(
    counts: dict[str, int | None],
    values: dict[str, object],
    partitions: Iterable[Mapping[str, int]],
    k: int,
    also_hidden: Iterable[str] = (),
) -> dict[str, object]:
    """The public form of one row: counts and values, with withheld ones null and marked.

    `counts` are the count cells, `values` the derived ones; `partitions` are dicts of cells
    (codes -> count, including complement cells not shown, e.g. "not forwarded") that add up
    to `reports`; `also_hidden` are codes withheld for reasons the caller knows.
    """
    hidden = {code for code, value in counts.items() if small(value, k)} | set(also_hidden)
    # `reports` is withheld with its sensitive part: the rest of it is public as points.
    if "sensitive_reports" in hidden:
        hidden.add("reports")
    if {"reports", "confirmations"} & hidden:
        hidden.add("reports_and_confirmations")
    for cells in partitions:
        hidden |= protect_partition(cells, "reports" not in hidden, k)
    out: dict[str, object] = {}
    for code, value in counts.items():
        out[code] = None if code in hidden else value
        out[f"{code}_suppressed"] = code in hidden
    for item in INDICATORS:
        if item.code not in values:
            continue
        withheld = any(dep in hidden for dep in item.rests_on)
        out[item.code] = None if withheld else values[item.code]
        if item.rests_on:
            out[f"{item.code}_suppressed"] = withheld
    return out
