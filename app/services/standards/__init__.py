"""Live standards for planners' tools (DESIGN.md §10): OGC API, vector tiles, Open311.

What other domains may use is exported here; the modules inside are this domain's own.
"""

from app.services.standards.feeds import mahalle_feed, municipality_feed
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
    "MAX_ATTEMPTS",
    "SIGNATURE_HEADER",
    "KeyRefused",
    "RequestNotFound",
    "RequestQuery",
    "ServiceNotFound",
    "create_hook",
    "create_key",
    "deactivate_hook",
    "deliver_due",
    "delivery_log",
    "dispatch",
    "list_hooks",
    "list_keys",
    "mahalle_feed",
    "municipality_feed",
    "parse_datetime",
    "post_request",
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
