"""Account routes: log-in, personal API tokens, staff administration."""

from fastapi import APIRouter

from app.api.accounts import auth, tokens, users

router = APIRouter()
router.include_router(auth.router)
router.include_router(tokens.router)
router.include_router(users.router)
