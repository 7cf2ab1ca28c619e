"""Moderation: the queue, actions on reports, personal-data hints, the municipal response.

What other domains may use is exported here; the modules inside are this domain's own.
"""

from app.services.moderation.municipal import MUNICIPAL_GROUPS
from app.services.moderation.pii import hint_kinds

__all__ = ["MUNICIPAL_GROUPS", "hint_kinds"]
