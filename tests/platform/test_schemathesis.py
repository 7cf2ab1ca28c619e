"""Property-based tests of the whole API from its OpenAPI document (schemathesis), over real
HTTP, as the public and as each staff role: no server error, no status code the document
does not declare, and every answer of a documented media type and schema.

Bounded so it fits `make test`: a few examples per operation and role, no shrinking, and a
time budget per role (MAX_SECONDS) after which the remaining operations are skipped, not failed.
"""

from __future__ import annotations

import time

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.models import Role
from tests.support.factories import PASSWORD, make_user

MAX_EXAMPLES = 3
# No server error, no undocumented status code, and every answer of the declared media type
# and shape (each operation documents its answers: tests/platform/test_openapi.py).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_SECONDS = 60.0  # for all operations, per role


@pytest.fixture(scope="session")
def api_schema(live_server):
    return schemathesis.openapi.from_dict(live_server.app.openapi())


def _logged_in(role: Role, server, db, settings) -> requests.Session:
    """A requests session logged in as `role` (cookie, and the CSRF header)."""
    http = requests.Session()
    user = make_user(db, settings, role, email=f"{role.value}-st@example.org")
    answer = http.post(
        f"{server.url}/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    http.headers["X-CSRF-Token"] = http.cookies["mh_csrf"]
    return http


@pytest.fixture
def moderator_http(server, db, settings) -> requests.Session:
    return _logged_in(Role.moderator, server, db, settings)


@pytest.fixture
def planner_http(server, db, settings) -> requests.Session:
    return _logged_in(Role.planner, server, db, settings)


@pytest.fixture
def admin_http(server, db, settings) -> requests.Session:
    return _logged_in(Role.admin, server, db, settings)


def _run_all(api_schema, http: requests.Session, base_url: str) -> None:
    """Every operation, a few generated cases each; every failure is listed at the end."""
    failures: list[str] = []
    calls: list[int] = []
    started = time.monotonic()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if time.monotonic() - started > MAX_SECONDS:
            break  # the budget is spent: the remaining operations wait for the next run
        if operation.path in ("/api/v1/auth/logout", "/api/v1/auth/password"):
            session = requests.Session()  # would end the session the other cases use
        else:
            session = http

        @BOUNDED
        @given(case=operation.as_strategy())
        def check(case) -> None:
            # Called right below, within this iteration: the loop variable is the current one.
            response = case.call(base_url=base_url, session=session, timeout=30)  # noqa: B023
            calls.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # collect; report all at once
            failures.append(f"{operation.method.upper()} {operation.path}: {_summary(exc)}")
    assert not failures, "\n\n".join(failures)
    assert len(calls) >= 48, calls  # every operation was called (unless the budget ran out)
    statuses = sorted(set(calls))
    print(f"{len(calls)} calls, statuses {statuses}")


def _summary(exc: BaseException) -> str:
    text = str(exc)
    for sub in getattr(exc, "exceptions", ()):
        text += "\n" + str(sub)
    return text[:1500]


BOUNDED = hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def monitor_http(server, db, settings) -> requests.Session:
    return _logged_in(Role.monitor, server, db, settings)


@pytest.fixture
def unit_reporter_http(server, db, settings) -> requests.Session:
    return _logged_in(Role.unit_reporter, server, db, settings)


def test_api_as_the_public(api_schema, server):
    _run_all(api_schema, requests.Session(), server.url)


def test_api_as_a_moderator(api_schema, server, moderator_http):
    _run_all(api_schema, moderator_http, server.url)


def test_api_as_a_planner(api_schema, server, planner_http):
    _run_all(api_schema, planner_http, server.url)


def test_api_as_an_administrator(api_schema, server, admin_http):
    _run_all(api_schema, admin_http, server.url)


def test_api_as_a_board_monitor(api_schema, server, monitor_http):
    _run_all(api_schema, monitor_http, server.url)


def test_api_as_a_unit_reporter(api_schema, server, unit_reporter_http):
    _run_all(api_schema, unit_reporter_http, server.url)
