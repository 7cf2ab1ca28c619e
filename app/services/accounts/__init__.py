"""Accounts: staff users, sessions and passwords, API tokens, throttles.

What other domains may use is exported here; the modules inside are this domain's own.
"""

from app.services.accounts.auth import create_user, csrf_token_matches, user_for_session_token
from app.services.accounts.throttle import key as throttle_key
from app.services.accounts.throttle import record as throttle_record
from app.services.accounts.throttle import retry_after as throttle_retry_after
from app.services.accounts.tokens import user_for_api_token
from app.services.accounts.users import (
    check_scope,
    create_account,
    list_users,
    update_user,
    user_by_email,
)

__all__ = [
    "check_scope",
    "create_account",
    "create_user",
    "csrf_token_matches",
    "list_users",
    "throttle_key",
    "throttle_record",
    "throttle_retry_after",
    "update_user",
    "user_by_email",
    "user_for_api_token",
    "user_for_session_token",
]
