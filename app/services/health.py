"""Health: is the database reachable, and is PostGIS there?"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session


def check(session: Session) -> dict:
    """{"status": "ok"|"unavailable", "database": bool, "postgis": version or None}."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return {"status": "unavailable", "database": False, "postgis": None}
    try:
        with session.begin_nested():  # a missing function must not abort the transaction
            version = session.execute(text("SELECT postgis_lib_version()")).scalar()
    except SQLAlchemyError:
        return {"status": "unavailable", "database": True, "postgis": None}
    return {"status": "ok", "database": True, "postgis": version}
