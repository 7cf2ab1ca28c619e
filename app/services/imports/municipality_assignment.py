"""Which municipality each imported mahalle belongs to, and the checks that keep it one.

Every mahalle belongs to exactly one municipality. A boundary file says which: one code for
the whole file (`--municipality CODE`), or an attribute per feature (`--municipality-field
ilce`) holding a municipality code or name, optionally creating the municipalities it names
(`--create-municipalities`, as districts under `--parent`). An import that would leave a
mahalle without a municipality, move one to another municipality (without `--move`), or
make two municipalities' mahalle overlap, refuses and imports nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import Mahalle, Municipality, MunicipalityKind
from app.services.imports.reading import VectorLayer, raise_if_problems, text_value
from app.services.reference import (
    MunicipalityFields,
    code_for,
    create_municipality,
    municipality_by_code,
)

# Overlap between two municipalities' mahalle beyond digitising noise: this share of the
# smaller polygon's area (shared borders overlap by ~0).
OVERLAP_SHARE = 0.01


@dataclass(frozen=True)
class MunicipalityChoice:
    """How an import assigns its mahalle to municipalities."""

    code: str | None = None  # every feature goes to this municipality
    field: str | None = None  # or: each feature's municipality (code or name) from this field
    create: bool = False  # create the municipalities the field names that do not exist
    parent: str | None = None  # ... under this municipality
    kind: MunicipalityKind = MunicipalityKind.district  # ... of this kind
    move: bool = False  # allow moving existing mahalle to another municipality


def _by_value(session: Session, value: str) -> Municipality | None:
    for code in dict.fromkeys((value, code_for(value))):
        found = session.scalar(select(Municipality).where(Municipality.code == code))
        if found is not None:
            return found
    return None


def assign(
    session: Session,
    layer: VectorLayer,
    choice: MunicipalityChoice,
    labels: Sequence[str],
    codes: Sequence[str],
) -> list[int]:
    """The municipality id of every feature, creating missing ones if asked; or refuse."""
    if (choice.code is None) == (choice.field is None):
        raise_if_problems(
            [
                "say which municipality the mahalle belong to: --municipality CODE for the "
                "whole file, or --municipality-field FIELD for one per feature"
            ],
            layer.path,
        )
    if choice.code is not None:
        municipality = municipality_by_code(session, choice.code, field="municipality")
        ids = [municipality.id] * len(layer)
    else:
        ids = _from_field(session, layer, choice, labels)
    _check_moves(session, layer, choice, labels, codes, ids)
    return ids


def _from_field(
    session: Session, layer: VectorLayer, choice: MunicipalityChoice, labels: Sequence[str]
) -> list[int]:
    assert choice.field is not None
    column = layer.field(choice.field)
    if column is None:
        raise_if_problems(
            [
                f"no field '{choice.field}' for the municipality (--municipality-field)",
                "fields in the file: " + ", ".join(layer.fields),
            ],
            layer.path,
        )
    parent = municipality_by_code(session, choice.parent, field="parent") if choice.parent else None
    assert column is not None  # refused above
    values = [text_value(v) for v in layer.fields[column]]
    problems: list[str] = []
    found: dict[str, Municipality | None] = {}
    for value in dict.fromkeys(v for v in values if v):
        found[value] = _by_value(session, value)
    missing = [v for v, m in found.items() if m is None]
    if missing and not choice.create:
        problems += [
            f"{labels[i]}: municipality '{v}' (field '{column}') does not exist; create it "
            "(morharita municipality create, or --create-municipalities)"
            for i, v in enumerate(values)
            if v in missing
        ]
    problems += [
        f"{labels[i]}: no municipality (field '{column}' is empty)"
        for i, v in enumerate(values)
        if not v
    ]
    raise_if_problems(problems, layer.path)
    for value in missing:
        name = value if value.casefold().endswith("belediyesi") else f"{value} Belediyesi"
        found[value] = create_municipality(
            session,
            None,
            code_for(value),
            name,
            choice.kind,
            MunicipalityFields(name=name, parent=parent.code if parent else None),
        )
    return [found[v].id for v in values]  # type: ignore[union-attr]


def _check_moves(
    session: Session,
    layer: VectorLayer,
    choice: MunicipalityChoice,
    labels: Sequence[str],
    codes: Sequence[str],
    ids: Sequence[int],
) -> None:
    if choice.move:
        return
    current = dict(
        session.execute(
            select(Mahalle.code, Mahalle.municipality_id).where(Mahalle.code.in_(codes))
        ).all()
    )
    names = dict(session.execute(select(Municipality.id, Municipality.code)).all())
    problems = [
        f"{labels[i]}: mahalle '{code}' belongs to '{names[current[code]]}'; this file puts it "
        f"in '{names[ids[i]]}' (a mahalle is in one municipality: use --move to move it)"
        for i, code in enumerate(codes)
        if code in current and current[code] != ids[i]
    ]
    raise_if_problems(problems, layer.path)


_OVERLAPS = text(
    """
    SELECT a.code AS a, ma.code AS a_in, b.code AS b, mb.code AS b_in,
           round(CAST(ST_Area(CAST(ST_Intersection(a.geom, b.geom) AS geography)) AS numeric))
               AS overlap_m2
    FROM mahalle AS a
    JOIN mahalle AS b
      ON a.id < b.id AND a.municipality_id <> b.municipality_id AND a.geom && b.geom
    JOIN municipality AS ma ON ma.id = a.municipality_id
    JOIN municipality AS mb ON mb.id = b.municipality_id
    WHERE (a.code = ANY(CAST(:codes AS text[])) OR b.code = ANY(CAST(:codes AS text[])))
      AND ST_Intersects(a.geom, b.geom)
      AND ST_Area(CAST(ST_Intersection(a.geom, b.geom) AS geography))
          > :share * LEAST(a.area_km2, b.area_km2) * 1e6
    ORDER BY a.code, b.code
    LIMIT 50
    """
)


def overlap_problems(session: Session, codes: Sequence[str]) -> list[str]:
    """Mahalle of this import overlapping another municipality's (after the upsert)."""
    rows = session.execute(_OVERLAPS, {"codes": list(codes), "share": OVERLAP_SHARE}).all()
    return [
        f"mahalle '{r.a}' ({r.a_in}) and '{r.b}' ({r.b_in}) overlap by {r.overlap_m2} m²: a "
        "place would be in two municipalities"
        for r in rows
    ]
