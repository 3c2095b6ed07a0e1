"""`create_service_app`: the FastAPI application every service starts from."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import (
    AbstractAsyncContextManager,
    AsyncExitStack,
    asynccontextmanager,
)
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from shared.auth import TokenVerifier
from shared.collector import long_lived_objects_set_aside
from shared.http.errors import install_error_handlers, problem_response
from shared.http.middleware import ConventionsMiddleware
from shared.http.openapi import API_PREFIX, build_openapi
from shared.logging import configure_logging
from shared.problems import problem_body
from shared.runtime import Runtime, SettingsT


def create_service_app(
    settings: SettingsT,
    *,
    title: str,
    version: str,
    description: str,
    routers: Sequence[APIRouter],
    make_runtime: Callable[[SettingsT], Runtime[SettingsT, Any]],
    tags: list[dict[str, Any]] | None = None,
    resources: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    """An app with ADR conventions, problem errors, auth, health/ready and a runtime lifespan.

    `resources` opens what the service holds besides the runtime, for the app's lifetime.
    """
    configure_logging(settings.service, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = make_runtime(settings)
        app.state.runtime = runtime
        await runtime.start()
        try:
            async with AsyncExitStack() as held:
                if resources is not None:  # the service's own clients (e.g. to another API)
                    await held.enter_async_context(resources(app))
                held.enter_context(long_lived_objects_set_aside())
                yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=title, version=version, description=description, lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json", docs_url=f"{API_PREFIX}/docs",
        redoc_url=None, openapi_tags=tags,
        # ADR: a trailing slash is a different resource (404), never a redirect.
        redirect_slashes=False,
        # One schema per model (no -Input/-Output twins): UpperCamelCase names for the linter.
        separate_input_output_schemas=False,
    )
    app.router.redirect_slashes = False
    app.state.settings = settings
    app.state.verifier = TokenVerifier(settings)
    install_error_handlers(app)
    app.add_middleware(ConventionsMiddleware, api_version=version, service=settings.service,
                       max_body_bytes=settings.max_body_bytes)
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)
    _add_probes(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app, public_url=settings.public_url,
                                               service=settings.service)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _add_probes(app: FastAPI) -> None:
    @app.get("/health", include_in_schema=False)
    async def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/ready", include_in_schema=False)
    async def ready(request: Request) -> JSONResponse:
        """Readiness: database and NATS reachable."""
        runtime: Runtime[Any, Any] = request.app.state.runtime
        checks = await runtime.readiness()
        if all(v == "ok" for v in checks.values()):
            return JSONResponse({"status": "ready", "checks": checks})
        body = problem_body(status=503, title="Not ready", slug="not-ready",
                            detail="a dependency is unavailable", instance="/ready",
                            extra={"checks": checks})
        return problem_response(body)
