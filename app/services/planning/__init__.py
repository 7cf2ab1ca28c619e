"""Planning: indicators, hotspots, the dashboard's layers and exports.

What other domains may use is exported here; the modules inside are this domain's own.
"""

from app.services.planning.definitions import BY_CODE, GROUP_NAMES, INDICATORS, UNIT_TR
from app.services.planning.exports import layer_collection
from app.services.planning.indicators import HOTSPOT_CODES, SCOPE_WIDE, planner_indicators
from app.services.planning.layers import hotspot_layer
from app.services.planning.public_indicators import IndicatorFilters, indicator_features

__all__ = [
    "BY_CODE",
    "GROUP_NAMES",
    "HOTSPOT_CODES",
    "INDICATORS",
    "SCOPE_WIDE",
    "UNIT_TR",
    "IndicatorFilters",
    "hotspot_layer",
    "indicator_features",
    "layer_collection",
    "planner_indicators",
]
