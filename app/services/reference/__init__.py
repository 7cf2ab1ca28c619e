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
from app.services.reference.municipalities import (
    MunicipalityNotFound,
    all_municipalities,
    code_for,
    effective_k,
    fallback_municipality,
    municipality_at,
    municipality_by_code,
    municipality_code,
    municipality_list,
)
from app.services.reference.municipality_admin import (
    MunicipalityFields,
    add_municipality,
    create_municipality,
    delete_municipality,
    edit_municipality,
    ensure_municipality,
    municipality_table,
    remove_municipality,
    update_municipality,
)
from app.services.reference.public_scope import public_k, public_municipality, strictest_k
from app.services.reference.responsibility import (
    Duty,
    remove_responsibility,
    responsibility_list,
    responsibility_table,
    responsible_for,
    set_responsibility,
)
from app.services.reference.scopes import (
    area_for_code,
    area_k,
    covered_ids,
    memberships,
    memberships_by_user,
    municipality_k,
    set_memberships,
    staff_area,
    staff_scope,
)
from app.services.reference.service_points import (
    NEAREST_SERVICES_JSON,
    nearest_services,
    rekey_service_points,
    round_distance_m,
    service_collection,
    services_from_json,
)

__all__ = [
    "NEAREST_SERVICES_JSON",
    "Duty",
    "MunicipalityFields",
    "MunicipalityNotFound",
    "active_category_by_code",
    "add_municipality",
    "all_municipalities",
    "area_for_code",
    "area_k",
    "code_for",
    "covered_ids",
    "create_municipality",
    "delete_municipality",
    "edit_municipality",
    "effective_k",
    "ensure_municipality",
    "fallback_municipality",
    "indexes_inside_mahalle",
    "mahalle_at",
    "mahalle_by_code",
    "mahalle_name",
    "memberships",
    "memberships_by_user",
    "municipality_at",
    "municipality_by_code",
    "municipality_code",
    "municipality_k",
    "municipality_list",
    "municipality_table",
    "nearest_services",
    "public_k",
    "public_municipality",
    "rekey_service_points",
    "remove_municipality",
    "remove_responsibility",
    "responsibility_list",
    "responsibility_table",
    "responsible_for",
    "round_distance_m",
    "seed_categories",
    "service_collection",
    "services_from_json",
    "set_memberships",
    "set_responsibility",
    "staff_area",
    "staff_scope",
    "strictest_k",
    "update_municipality",
]
