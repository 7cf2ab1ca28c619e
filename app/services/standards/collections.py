"""The catalogue of collections served by the live standards (OGC API Features and Tiles).

A collection id is a kind, optionally followed by a municipality code: `reports` (the whole
deployment) or `reports.cankaya` (Çankaya's area, its districts included). Public kinds:
`reports` (published, non-sensitive report points at their displaced location),
`indicators` (per mahalle, protected counts), `hotspots` (Gi* hexagon cells, protected
counts) and `services` (support service points). Planners' kinds (`planner-indicators`,
`planner-hotspots`, `planner-sensitive`: the dashboard's layers and exports) need a planner's
or administrator's token (or session), and only within the municipalities her role covers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.errors import NotAuthenticated, NotFound, NotPermitted
from app.i18n import gettext as _
from app.models import Role, User
from app.services import reference
from app.services.standards import layer_cache

PUBLIC_KINDS = ("reports", "indicators", "hotspots", "services")
PLANNER_KINDS = ("planner-indicators", "planner-hotspots", "planner-sensitive")
# The kinds the tiles (OGC API Tiles, vector tiles) are served for.
TILED_KINDS = ("reports", "indicators", "hotspots")
POINT_KINDS = ("reports", "services")
# Kinds whose features have a time (a report's month of occurrence; an aggregate's period).
TEMPORAL_KINDS = ("reports", "indicators", "hotspots", *PLANNER_KINDS)
PLANNER_ROLES = frozenset({Role.planner, Role.admin})


class CollectionNotFound(NotFound):
    code = "collection_not_found"


@dataclass(frozen=True)
class Collection:
    """One collection: a kind over the whole deployment or over one municipality's area."""

    kind: str
    municipality: str | None = None  # a code
    municipality_name: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    @property
    def id(self) -> str:
        return self.kind if self.municipality is None else f"{self.kind}.{self.municipality}"

    @property
    def for_planners(self) -> bool:
        return self.kind in PLANNER_KINDS

    @property
    def tiled(self) -> bool:
        return self.kind in TILED_KINDS

    @property
    def temporal(self) -> bool:
        return self.kind in TEMPORAL_KINDS

    @property
    def title(self) -> str:
        where = self.municipality_name or _("all municipalities")
        return f"{kind_title(self.kind)} ({where})"

    @property
    def description(self) -> str:
        return kind_description(self.kind)


def kind_title(kind: str) -> str:
    """The title of a kind of collection, in the request's language."""
    return {
        "reports": _("Public report points"),
        "indicators": _("Indicators per mahalle"),
        "hotspots": _("Hotspot cells"),
        "services": _("Support services"),
        "planner-indicators": _("Planners: every indicator per mahalle"),
        "planner-hotspots": _("Planners: hotspot cells"),
        "planner-sensitive": _("Planners: sensitive reports per mahalle and category"),
    }[kind]


def kind_description(kind: str) -> str:
    """What a kind of collection holds and how it is protected, in the request's language."""
    return {
        "reports": _(
            "Published reports of non-sensitive categories, at a displaced location chosen "
            "once (50–200 m from the true point), with the month they happened in."
        ),
        "indicators": _(
            "Published reports per mahalle; counts are perturbed (cell key method) and "
            "withheld below k."
        ),
        "hotspots": _(
            "Hexagon cells with their Getis-Ord Gi* hotspot class; counts are perturbed and "
            "withheld below k."
        ),
        "services": _("Women's counselling centres, ŞÖNİM, police and health services."),
        "planner-indicators": _(
            "Every indicator of the dashboard per mahalle, with a planner's token."
        ),
        "planner-hotspots": _("The dashboard's hotspot layer, with a planner's token."),
        "planner-sensitive": _(
            "Sensitive reports per mahalle and category, protected, with a planner's token."
        ),
    }[kind]


def _union(boxes: list) -> tuple[float, float, float, float] | None:
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _municipalities(session: Session) -> list[dict]:
    """The public municipality list with its boxes, kept per public data version (a change
    of a municipality or mahalle moves it)."""
    return layer_cache.LAYERS.get_or_compute(
        session, ("municipalities",), lambda: reference.municipality_list(session)
    )


def public_collections(session: Session) -> list[Collection]:
    """Every public collection: each kind for the whole deployment, then per municipality."""
    municipalities = _municipalities(session)
    whole = _union([m["bbox"] for m in municipalities])
    found = [Collection(kind, bbox=whole) for kind in PUBLIC_KINDS]
    for m in municipalities:
        box = tuple(m["bbox"]) if m["bbox"] else None
        found += [Collection(kind, m["code"], m["name"], box) for kind in PUBLIC_KINDS]  # type: ignore[arg-type]
    return found


def is_planner(viewer: User | None) -> bool:
    """Whether the viewer may read planners' collections (in her municipalities)."""
    return viewer is not None and viewer.active and viewer.role in PLANNER_ROLES


def planner_collections(session: Session, viewer: User | None) -> list[Collection]:
    """The planners' collections `viewer` may read: none for the public; the whole scope and
    each municipality her role covers."""
    if not is_planner(viewer):
        return []
    assert viewer is not None
    scope = reference.staff_scope(session, viewer)
    municipalities = _municipalities(session)
    ids = {m.code: m.id for m in reference.all_municipalities(session)}
    covered = [m for m in municipalities if scope is None or ids[m["code"]] in scope]
    whole = _union([m["bbox"] for m in covered])
    found = [Collection(kind, bbox=whole) for kind in PLANNER_KINDS]
    for m in covered:
        box = tuple(m["bbox"]) if m["bbox"] else None
        found += [Collection(kind, m["code"], m["name"], box) for kind in PLANNER_KINDS]  # type: ignore[arg-type]
    return found


def collection_for(session: Session, collection_id: str, viewer: User | None) -> Collection:
    """The collection with this id, if `viewer` may read it: unknown kinds and municipalities
    are 404; planners' collections need a planner's token (401) covering the area (403)."""
    kind, _dot, code = collection_id.partition(".")
    if kind not in PUBLIC_KINDS and kind not in PLANNER_KINDS:
        raise CollectionNotFound(
            f"There is no collection {collection_id!r}. Collections are "
            f"{', '.join(PUBLIC_KINDS)}, optionally followed by '.' and a municipality code "
            "(e.g. reports.cankaya); see /ogc/collections."
        )
    municipality = None
    if code:
        municipality = reference.public_municipality(session, code)
        if municipality is None:
            raise CollectionNotFound(
                f"There is no municipality with the code {code!r}; the codes are listed at "
                "/api/v1/municipalities."
            )
    if kind in PLANNER_KINDS:
        if viewer is None:
            raise NotAuthenticated(
                f"The collection {collection_id!r} is for planners: send a personal API token "
                "(Authorization: Bearer mh_...), created on the dashboard."
            )
        if not is_planner(viewer):
            raise NotPermitted(f"The collection {collection_id!r} needs a planner's role.")
        # Refuses (403) a municipality outside her role's.
        reference.staff_area(session, viewer, code or None)
    if municipality is None:
        listed = (
            planner_collections(session, viewer)
            if kind in PLANNER_KINDS
            else public_collections(session)
        )
        return next(c for c in listed if c.id == kind)
    box = tuple(municipality["bbox"]) if municipality["bbox"] else None
    return Collection(kind, municipality["code"], municipality["name"], box)  # type: ignore[arg-type]
