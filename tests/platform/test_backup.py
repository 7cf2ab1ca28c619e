"""`morharita backup FILE` and `morharita restore FILE`: a database with reports and photos,
backed up and restored into a fresh database, compares equal table by table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.orm import sessionmaker

from app import localdb
from app.db import unit_of_work
from app.schemas.reporting import ReportCreate
from app.services.reporting import submission
from bench.durability import prepare
from tests.support.citizen_support import image_bytes
from tests.support.factories import report_payload

MORHARITA = str(Path(sys.executable).with_name("morharita"))
CHECKSUMS = {
    "report": "SELECT md5(string_agg(public_id || text || ST_AsText(location) || "
    "ST_AsText(public_location) || tracking_code_hash, ',' ORDER BY public_id)) FROM report",
    "report_photo": "SELECT md5(string_agg(md5(content), ',' ORDER BY id)) FROM report_photo",
    "mahalle": "SELECT md5(string_agg(code || name || ST_AsBinary(geom)::text, ',' "
    "ORDER BY code)) FROM mahalle",
}


def command(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [MORHARITA, *args], env=env, capture_output=True, text=True, check=False, timeout=300
    )


def snapshot(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "spatial_ref_sys"]
        counts = {t: conn.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in sorted(tables)}
        sums = {name: conn.scalar(text(sql)) for name, sql in CHECKSUMS.items()}
    engine.dispose()
    return {"counts": counts, "checksums": sums}


def test_backup_and_restore_into_a_fresh_database(database_url, settings, tmp_path):
    name = make_url(database_url).database
    source = localdb.recreate_database(database_url, f"{name}_backup_source")
    target = localdb.recreate_database(database_url, f"{name}_backup_target")
    prepare(source)
    engine = create_engine(source)
    own = settings.model_copy(update={"database_url": source})
    with unit_of_work(sessionmaker(bind=engine, expire_on_commit=False)) as session:
        for i in range(5):
            data = ReportCreate(**report_payload(text=f"yedek {i}"))
            submission.submit_report(session, own, data, [image_bytes("JPEG")] * (i % 3))
    engine.dispose()

    file = tmp_path / "backups" / "morharita.dump"
    made = command("backup", str(file), url=source)
    assert made.returncode == 0, made.stderr
    assert file.stat().st_size > 0 and not file.with_name("morharita.dump.partial").exists()

    restored = command("restore", str(file), "--yes", url=target)
    assert restored.returncode == 0, restored.stderr
    before, after = snapshot(source), snapshot(target)
    assert before["counts"]["report"] == 5 and before["counts"]["report_photo"] == 4
    assert before["counts"]["mahalle"] == 184
    assert after == before

    # Restoring again replaces rather than duplicates.
    again = command("restore", str(file), "--yes", url=target)
    assert again.returncode == 0, again.stderr
    assert snapshot(target) == before


def test_restore_of_a_missing_file_is_a_clear_error(database_url, tmp_path):
    done = command("restore", str(tmp_path / "nope.dump"), "--yes", url=database_url)
    assert done.returncode == 1
    assert "is not a file" in done.stderr
