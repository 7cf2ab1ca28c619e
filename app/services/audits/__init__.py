"""Audits: safety audit walks (SafetiPin's nine parameters) recorded by volunteers.

What other domains may use is exported here; the modules inside are this domain's own.
"""

from app.services.audits.aggregates import (
    AGGREGATE_VALUES,
    PARAMETERS,
    audit_aggregates,
    audit_values,
    composite_score,
    public_columns,
    public_layer_points,
    public_points,
    public_properties,
)
from app.services.audits.review import approve_walk, reject_walk, walk_detail, walks_for_staff
from app.services.audits.walks import (
    TRANSITIONS,
    add_point,
    create_walk,
    photo_for_staff,
    submit_walk,
)

__all__ = [
    "AGGREGATE_VALUES",
    "PARAMETERS",
    "TRANSITIONS",
    "add_point",
    "approve_walk",
    "audit_aggregates",
    "audit_values",
    "composite_score",
    "create_walk",
    "photo_for_staff",
    "public_columns",
    "public_layer_points",
    "public_points",
    "public_properties",
    "reject_walk",
    "submit_walk",
    "walk_detail",
    "walks_for_staff",
]
