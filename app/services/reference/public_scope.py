"""What a public page or API call asks about when it names a municipality (DESIGN.md §8).

The public side takes `municipality=` (or the page path) and defaults to the whole
deployment. Small cells are withheld below the threshold k of each mahalle's own
municipality: the strictest k on its chain of municipalities (its district, the metropolitan
municipality above it, ...), never below the deployment's. So a district that protects more
is not undone by a query for the whole deployment or for its metropolitan municipality.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Session, aliased

from app.models import Municipality
from app.services.reference.municipalities import municipality_by_code, municipality_list


# Built once per k: constructing the recursive select took a third of a computed tile's CPU.
@lru_cache(maxsize=16)
def strictest_k(deployment_k: int) -> Subquery:
    """(municipality_id, k) for every municipality: the highest own k on its chain up to the
    top, at least `deployment_k`. Join it on a row's municipality to suppress that row."""
    chain = select(
        Municipality.id.label("municipality_id"), Municipality.id.label("ancestor_id")
    ).cte("chain", recursive=True)
    step = aliased(Municipality)
    # UNION, not UNION ALL: it also ends on a (corrupt) cycle of parents.
    chain = chain.union(
        select(chain.c.municipality_id, step.parent_id)
        .join(step, step.id == chain.c.ancestor_id)
        .where(step.parent_id.is_not(None))
    )
    ancestor = aliased(Municipality)
    k = func.greatest(deployment_k, func.coalesce(func.max(ancestor.k_threshold), 0))
    ks = (
        select(chain.c.municipality_id, k.label("k"))
        .join(ancestor, ancestor.id == chain.c.ancestor_id)
        .group_by(chain.c.municipality_id)
        .subquery("municipality_k")
    )
    ks.c  # noqa: B018 (its columns are made on first use: here, not in two threads at once)
    return ks


def public_k(session: Session, deployment_k: int, code: str | None) -> int:
    """The small-cell threshold a public answer about `code` states (None: the deployment's).

    The strictest k on the municipality's chain (so at least `effective_k` of it); a district
    inside it may withhold more of its own rows (each row carries its own k).
    """
    if code is None:
        return deployment_k
    municipality = municipality_by_code(session, code, field="municipality")
    ks = strictest_k(deployment_k)
    found = session.scalar(select(ks.c.k).where(ks.c.municipality_id == municipality.id))
    return int(found or deployment_k)


def public_municipality(session: Session, code: str) -> dict | None:
    """The public entry (as in GET /api/v1/municipalities) of the municipality with this code,
    or None when there is none."""
    return next((m for m in municipality_list(session) if m["code"] == code), None)
