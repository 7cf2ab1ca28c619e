"""Small-cell suppression of a mahalle's indicator row (primary, secondary, derived values).

A count between 1 and k-1 is withheld (null, `<code>_suppressed: true`), never shown as zero.
Within a partition of a shown total (category groups, gender, age bands, forwarded or not,
resolved or not) one withheld cell alone could be recovered as the total minus the others,
so the smallest other non-zero cell is withheld too; and when the total is withheld, the
cells of a partition must not all be shown (their sum would give it away). A derived value (rate, share, mean,
median, change) is withheld when any count it rests on is withheld.
"""

from __future__ import annotations

from collections.abc import Mapping


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
