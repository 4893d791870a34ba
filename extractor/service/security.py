"""What every nianbao app shares: the bearer token check, the body limit and error answers.

Errors answer ``{"detail": …}`` and never carry a stack trace; an internal
error gets a reference the server log repeats.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .uploads import BodyLimit

log = logging.getLogger(__name__)

bearer = HTTPBearer(auto_error=False,
                    description="The token of `nianbao serve`: DATA_DIR/token, or NIANBAO_SERVE_TOKEN")


def authorised(request: Request,
               credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """The bearer token (``app.state.token``), compared in constant time."""
    token: str = request.app.state.token
    if credentials is None or not secrets.compare_digest(credentials.credentials.encode(), token.encode()):
        raise HTTPException(401, "missing or wrong bearer token: send Authorization: Bearer TOKEN "
                                 "(nianbao serve keeps it in DATA_DIR/token unless NIANBAO_SERVE_TOKEN is set)",
                            headers={"WWW-Authenticate": "Bearer"})


SECURED = [Depends(authorised)]


def secure(app: FastAPI, token: str, max_body_bytes: int) -> None:
    """Set the app's token, its body limit and its error answers."""
    app.state.token = token
    app.add_middleware(BodyLimit, limit=max_body_bytes)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                   for e in exc.errors()]
        return JSONResponse({"detail": details}, status_code=422)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        ref = uuid.uuid4().hex[:12]
        log.error("internal error %s on %s %s", ref, request.method, request.url.path, exc_info=exc)
        return JSONResponse({"detail": f"internal error (reference {ref}); the server log has the details"},
                            status_code=500)
