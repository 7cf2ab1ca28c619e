"""Account routes: log-in, personal API tokens, and the administration of staff accounts,
municipalities and the responsibility table."""

from fastapi import APIRouter

from app.api.accounts import auth, municipalities, responsibility, tokens, users

router = APIRouter()
router.include_router(auth.router)
router.include_router(tokens.router)
router.include_router(users.router)
router.include_router(municipalities.router)
router.include_router(responsibility.router)
