"""Importers: boundaries, population and support services from files (GeoJSON, GeoPackage,
Shapefile, CSV), each refusing a bad file whole.

What other domains and the command line may use is exported here.
"""

from app.services.imports.boundaries import BoundaryFields, import_boundaries
from app.services.imports.municipality_assignment import MunicipalityChoice
from app.services.imports.population import PopulationColumns, import_population
from app.services.imports.support_services import import_service_points

__all__ = [
    "BoundaryFields",
    "MunicipalityChoice",
    "PopulationColumns",
    "import_boundaries",
    "import_population",
    "import_service_points",
]
