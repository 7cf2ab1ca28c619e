"""Planning: indicators, hotspots, the dashboard's layers and exports.

What other domains may use is exported here; the modules inside are this domain's own.
"""

from app.services.planning.definitions import INDICATORS, UNIT_TR

__all__ = ["INDICATORS", "UNIT_TR"]
