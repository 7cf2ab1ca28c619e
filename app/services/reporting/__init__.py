"""Reporting: submission, placement, photos, confirmations, tracking and retention.

What other domains may use is exported here; the modules inside are this domain's own.
"""

from app.services.reporting.codes import hash_tracking_code, new_public_id, new_tracking_code
from app.services.reporting.photos import MAX_PHOTOS, MAX_SIDE_PX, CleanPhoto, clean_photo
from app.services.reporting.placement import (
    Placement,
    move_children,
    move_placement,
    place_report,
)
from app.services.reporting.public_layer import public_details
from app.services.reporting.retention import purge_expired

__all__ = [
    "MAX_PHOTOS",
    "MAX_SIDE_PX",
    "CleanPhoto",
    "Placement",
    "clean_photo",
    "hash_tracking_code",
    "move_children",
    "move_placement",
    "new_public_id",
    "new_tracking_code",
    "place_report",
    "public_details",
    "purge_expired",
]
