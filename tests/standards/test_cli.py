"""`morharita open311 key ...` and `morharita webhooks ...` on a throwaway database."""

from __future__ import annotations

import hashlib

from sqlalchemy import create_engine, make_url, text
from typer.testing import CliRunner

from app import localdb
from app.cli.main import app

runner = CliRunner()


def _run(env, *args):
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_keys_and_webhooks_from_the_command_line(database_url):
    url = localdb.recreate_database(database_url, make_url(database_url).database + "_o311")
    env = {"DATABASE_URL": url}
    assert _run(env, "migrate")[0] == 0
    code, out = _run(env, "municipality", "create", "cankaya", "--name", "Çankaya",
                     "--kind", "district")  # fmt: skip
    assert code == 0, out
    code, out = _run(env, "open311", "key", "create", "--municipality", "cankaya", "--name", "BM")
    assert code == 0, out
    plain = out.split(": ", 1)[1].split()[0]
    assert plain.startswith("o311_")
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT key_hash FROM open311_key")).scalar_one()
        assert plain not in stored  # only the hash
    engine.dispose()
    assert stored == hashlib.sha256(plain.encode()).hexdigest()
    code, out = _run(env, "open311", "key", "list")
    assert code == 0 and plain[:12] in out and plain not in out
    code, out = _run(env, "open311", "key", "create", "--municipality", "atlantis", "--name", "x")
    assert code == 1 and "atlantis" in out
    code, out = _run(env, "webhooks", "create", "--municipality", "cankaya",
                     "--url", "https://example.org/hook", "--event", "published")  # fmt: skip
    assert code == 0 and "secret:" in out, out
    code, out = _run(env, "webhooks", "create", "--municipality", "cankaya",
                     "--url", "gopher://x", "--event", "published")  # fmt: skip
    assert code == 1 and "http(s)" in out
    assert _run(env, "webhooks", "run", "--once")[0] == 0
    assert _run(env, "open311", "key", "revoke", "1")[0] == 0
