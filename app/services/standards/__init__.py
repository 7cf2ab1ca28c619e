"""Standards: the live services planners' tools read (OGC API Features; tiles; Open311).

What other domains (and the API) may use is exported here; the modules inside are this
domain's own.
"""

from app.services.standards.collections import (
    PLANNER_KINDS,
    PUBLIC_KINDS,
    TILED_KINDS,
    Collection,
    CollectionNotFound,
    collection_for,
    planner_collections,
    public_collections,
)
from app.services.standards.items import (
    FeatureNotFound,
    Interval,
    ItemQuery,
    ItemsPage,
    item,
    items_page,
)

__all__ = [
    "PLANNER_KINDS",
    "PUBLIC_KINDS",
    "TILED_KINDS",
    "Collection",
    "CollectionNotFound",
    "FeatureNotFound",
    "Interval",
    "ItemQuery",
    "ItemsPage",
    "collection_for",
    "item",
    "items_page",
    "planner_collections",
    "public_collections",
]
