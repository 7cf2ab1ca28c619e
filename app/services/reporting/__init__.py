"""Reporting: submission, placement, photos, confirmations, tracking and retention.

What other domains may use is exported here; the modules inside are this domain's own.
"""

from app.services.reporting import page_plan
from app.services.reporting.codes import hash_tracking_code, new_public_id, new_tracking_code
from app.services.reporting.intake import client_hash
from app.services.reporting.photos import (
    MAX_PHOTOS,
    MAX_SIDE_PX,
    CleanPhoto,
    clean_photo,
    public_photo_urls,
)
from app.services.reporting.placement import (
    Placement,
    displacement_offsets,
    move_children,
    move_placement,
    place_report,
)
from app.services.reporting.public_layer import (
    ConfirmationCounts,
    ReportFilters,
    public_details,
    public_point_json,
    public_points_json,
)
from app.services.reporting.retention import purge_expired
from app.services.reporting.submission import submit_report

__all__ = [
    "MAX_PHOTOS",
    "MAX_SIDE_PX",
    "CleanPhoto",
    "ConfirmationCounts",
    "Placement",
    "ReportFilters",
    "clean_photo",
    "client_hash",
    "displacement_offsets",
    "hash_tracking_code",
    "move_children",
    "move_placement",
    "new_public_id",
    "new_tracking_code",
    "page_plan",
    "place_report",
    "public_details",
    "public_photo_urls",
    "public_point_json",
    "public_points_json",
    "purge_expired",
    "submit_report",
]
