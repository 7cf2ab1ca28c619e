"""Personal API tokens for planners' tools (QGIS, scripts); managed with the login session."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.api.deps import Planner, SessionDep
from app.schemas.accounts import TokenCreate, TokenCreated, TokenPublic
from app.schemas.common import STAFF_ERRORS
from app.services.accounts import tokens

router = APIRouter(prefix="/api/v1", tags=["planner"])
ERRORS = STAFF_ERRORS


@router.post(
    "/tokens", status_code=status.HTTP_201_CREATED, response_model=TokenCreated, responses=ERRORS
)
def create_token(body: TokenCreate, user: Planner, db: SessionDep) -> TokenCreated:
    """Create a personal API token (logged-in planners and administrators; shown once)."""
    token, plain = tokens.create_token(db, user, body.name)
    return TokenCreated(**TokenPublic.model_validate(token).model_dump(), token=plain)


@router.get("/tokens", response_model=list[TokenPublic], responses=ERRORS)
def list_tokens(user: Planner, db: SessionDep) -> list:
    """The logged-in user's API tokens (never the tokens themselves)."""
    return tokens.list_tokens(db, user)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def revoke_token(token_id: int, user: Planner, db: SessionDep) -> None:
    """Revoke one of your API tokens; it is refused from then on."""
    tokens.revoke_token(db, user, token_id)
