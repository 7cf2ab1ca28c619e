"""Reference data: municipalities, mahalle and areas, categories, support services.

What other domains may use is exported here; the modules inside are this domain's own.
"""

from app.services.reference.areas import (
    indexes_inside_mahalle,
    mahalle_at,
    mahalle_by_code,
    mahalle_name,
)
from app.services.reference.categories import active_category_by_code, seed_categories
from app.services.reference.service_points import nearest_services, round_distance_m

__all__ = [
    "active_category_by_code",
    "indexes_inside_mahalle",
    "mahalle_at",
    "mahalle_by_code",
    "mahalle_name",
    "nearest_services",
    "round_distance_m",
    "seed_categories",
]
