"""Statistics on per-area counts: Empirical-Bayes rates, local Gi*, pseudo p-values, classes."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from app.errors import InvalidInput

if TYPE_CHECKING:
    from libpysal.weights import W


def empirical_bayes(observed: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Global Empirical-Bayes rates (Marshall 1991, method of moments), per person.

    b = ΣO/Σn; s² = Σn(r-b)²/Σn; a = max(0, s² - b/mean(n)); w = a/(a + b/n); EB = w·r + (1-w)·b.
    """
    observed = np.asarray(observed, dtype=float)
    population = np.asarray(population, dtype=float)
    if observed.size == 0 or population.sum() <= 0:
        return np.full(observed.shape, np.nan)
    rate = observed / population
    b = observed.sum() / population.sum()
    s2 = (population * (rate - b) ** 2).sum() / population.sum()
    a = max(0.0, s2 - b / population.mean())
    weight = a / (a + b / population) if a > 0 or b > 0 else np.zeros_like(rate)
    return weight * rate + (1 - weight) * b


PERMUTATIONS = 999


SEED = 12345


LEVELS = ((0.01, "99"), (0.05, "95"), (0.10, "90"))


CLASSES = (
    "hot_99",
    "hot_95",
    "hot_90",
    "not_significant",
    "cold_90",
    "cold_95",
    "cold_99",
)


@dataclass(frozen=True)
class GiResult:
    z: float | None
    p: float | None
    label: str


NOT_SIGNIFICANT = GiResult(None, None, "not_significant")


def classify(z: float, p: float) -> str:
    """hot_99 … cold_99 from the z-score's sign and the pseudo p-value."""
    for level, name in LEVELS:
        if p <= level and z != 0:
            return f"{'hot' if z > 0 else 'cold'}_{name}"
    return "not_significant"


def weights_from_neighbours(neighbours: dict[int, list[int]], order: list[int]) -> W:
    """Binary libpysal weights in the given order (islands allowed)."""
    # libpysal and esda pull in scipy, pandas and more (~100 MB per worker, 2-3 s): only the
    # hotspot paths need them, so an idle web worker does not load them.
    from libpysal.weights import W

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; they are handled
        return W({i: neighbours.get(i, []) for i in order}, id_order=order, silence_warnings=True)


def gi_star(values: list[float] | np.ndarray, w: W) -> list[GiResult]:
    """Gi* per unit, in the order of `w.id_order`."""
    from esda.getisord import G_Local  # see weights_from_neighbours

    y = np.asarray(values, dtype=float)
    if len(y) < 3 or y.sum() <= 0 or np.allclose(y, y[0]):
        return [NOT_SIGNIFICANT] * len(y)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        g = G_Local(
            y,
            w,
            transform="R",
            star=True,
            permutations=PERMUTATIONS,
            seed=SEED,
            n_jobs=1,
            keep_simulations=True,
        )
    p_values = pseudo_p(g.Gs, g.rGs)
    results = []
    for i, unit in enumerate(w.id_order):
        z, p = float(g.Zs[i]), float(p_values[i])
        if not w.neighbors[unit] or math.isnan(z):
            results.append(NOT_SIGNIFICANT)
        else:
            results.append(GiResult(z, p, classify(z, p)))
    return results


def pseudo_p(observed: np.ndarray, simulated: np.ndarray) -> np.ndarray:
    """Folded pseudo p-values from esda's own permutation draws, ties counted on both sides.

    (min(#(simulated ≥ observed), #(simulated ≤ observed)) + 1) / (permutations + 1). esda's
    `p_sim` uses #(simulated < observed) for the lower side, so a unit of value 0 among
    neighbours of value 0 (a tie in nearly every draw) would come out as a 99 % cold spot.
    Without ties the two are equal.
    """
    observed = observed.reshape(-1, 1)
    upper = (simulated >= observed).sum(axis=1)
    lower = (simulated <= observed).sum(axis=1)
    return (np.minimum(upper, lower) + 1) / (simulated.shape[1] + 1)


CLASS_METHODS = {
    "quantiles": {"tr": "Eşit sayılı sınıflar (çeyreklik/quantile)", "en": "Quantiles"},
    "natural_breaks": {
        "tr": "Doğal kırılmalar (Jenks, Fisher-Jenks)",
        "en": "Natural breaks (Jenks, Fisher-Jenks)",
    },
}


JENKS_EXACT_MAX = 300  # exact Fisher-Jenks is O(k n²) in pure Python; sample beyond this


def class_breaks(values: list[float], method: str, classes: int) -> dict:
    """Upper bounds of `classes` classes of the shown values (mapclassify), and their counts."""
    # mapclassify pulls in scipy and friends (~2 s to import): only class breaks need it.
    import mapclassify

    if method not in CLASS_METHODS:
        raise InvalidInput(
            f"Unknown classification {method!r}; choose one of {', '.join(CLASS_METHODS)}.",
            field="method",
        )
    y = np.array([v for v in values if v is not None], dtype=float)
    result: dict = {
        "method": method,
        "method_name": CLASS_METHODS[method],
        "bins": [],
        "counts": [],
    }
    distinct = len(np.unique(y))
    if distinct == 0:
        return result
    k = max(1, min(classes, distinct))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "quantiles":
            found = mapclassify.Quantiles(y, k=k)
        elif len(y) <= JENKS_EXACT_MAX:
            found = mapclassify.FisherJenks(y, k=k)
        else:  # a fixed-seed sample keeps the classes reproducible
            state = np.random.get_state()
            np.random.seed(12345)
            try:
                found = mapclassify.FisherJenksSampled(y, k=k, pct=JENKS_EXACT_MAX / len(y))
            finally:
                np.random.set_state(state)
    result["bins"] = [round(float(b), 6) for b in found.bins]
    result["counts"] = [int(c) for c in found.counts]
    return result
