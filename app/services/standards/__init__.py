"""Live standards for planners' and municipal systems' tools (DESIGN.md §10): OGC API
Features and vector tiles, Open311 GeoReport v2, Atom feeds, webhooks.

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
from app.services.standards.cql2 import CONFORMANCE as FILTER_CONFORMANCE
from app.services.standards.cql2 import FILTER_LANG, queryables
from app.services.standards.feeds import mahalle_feed, municipality_feed
from app.services.standards.items import (
    FeatureNotFound,
    Interval,
    ItemQuery,
    ItemsPage,
    item,
    items_page,
)
from app.services.standards.open311 import (
    RequestNotFound,
    RequestQuery,
    ServiceNotFound,
    parse_datetime,
    request_by_id,
    requests,
    service_definition,
    services,
)
from app.services.standards.open311_intake import (
    KeyRefused,
    create_key,
    list_keys,
    post_request,
    request_for_token,
    revoke_key,
)
from app.services.standards.tile_audits import audit_tile
from app.services.standards.tiles import CACHE_CONTROL as TILE_CACHE_CONTROL
from app.services.standards.tiles import Tile
from app.services.standards.webhook_worker import DeliveryLoop
from app.services.standards.webhooks import (
    MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    create_hook,
    deactivate_hook,
    deliver_due,
    delivery_log,
    dispatch,
    list_hooks,
    retry_delay,
    run_once,
    sign,
)

__all__ = [
    "FILTER_CONFORMANCE",
    "FILTER_LANG",
    "MAX_ATTEMPTS",
    "PLANNER_KINDS",
    "PUBLIC_KINDS",
    "SIGNATURE_HEADER",
    "TILED_KINDS",
    "TILE_CACHE_CONTROL",
    "Collection",
    "CollectionNotFound",
    "DeliveryLoop",
    "FeatureNotFound",
    "Interval",
    "ItemQuery",
    "ItemsPage",
    "KeyRefused",
    "RequestNotFound",
    "RequestQuery",
    "ServiceNotFound",
    "Tile",
    "audit_tile",
    "collection_for",
    "create_hook",
    "create_key",
    "deactivate_hook",
    "deliver_due",
    "delivery_log",
    "dispatch",
    "item",
    "items_page",
    "list_hooks",
    "list_keys",
    "mahalle_feed",
    "municipality_feed",
    "parse_datetime",
    "planner_collections",
    "post_request",
    "public_collections",
    "queryables",
    "request_by_id",
    "request_for_token",
    "requests",
    "retry_delay",
    "revoke_key",
    "run_once",
    "service_definition",
    "services",
    "sign",
]
