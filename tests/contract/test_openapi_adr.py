"""Every service's OpenAPI passes the NL API Design Rules linter (Spectral, ADR ruleset)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.openapi.utils import get_openapi

from services.intake.main import create_app
from services.intake.settings import IntakeSettings
from tests.support.apps import SERVICE_NAMES, app_of

ROOT = Path(__file__).resolve().parents[2]
RULESET = ROOT / "standards" / "adr-linter.yaml"
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"
ERROR = 0  # Spectral's severity code for errors


def spectral_errors(document: dict[str, Any], tmp_path: Path) -> list[dict[str, Any]]:
    """Run the ADR ruleset on a document; the results of severity error."""
    if not SPECTRAL.exists() or shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail("Spectral is missing in CI: `make test` should have run `npm ci`")
        pytest.skip("Spectral not installed (run `npm ci`, as `make test` does)")
    target = tmp_path / "openapi.json"
    target.write_text(json.dumps(document))
    completed = subprocess.run(
        [str(SPECTRAL), "lint", "-r", str(RULESET), "-f", "json", "--quiet", str(target)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert completed.stdout.strip(), f"spectral printed nothing: {completed.stderr}"
    results: list[dict[str, Any]] = json.loads(completed.stdout)
    return [r for r in results if r.get("severity") == ERROR]


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_service_openapi_has_zero_adr_errors(service: str, tmp_path: Path) -> None:
    document = app_of(service).openapi()
    errors = spectral_errors(document, tmp_path)
    assert errors == [], "\n".join(f"{e['code']}: {e['message']} at {e['path']}" for e in errors)


def test_the_linter_does_fail_fastapi_defaults(tmp_path: Path) -> None:
    """Negative control: the untreated FastAPI document breaks ADR rules (422, no API-Version)."""
    app = create_app(IntakeSettings(environment="test"))
    raw = get_openapi(title=app.title, version=app.version, routes=app.routes)
    codes = {e["code"] for e in spectral_errors(raw, tmp_path)}
    assert {"nlgov:problem-invalid-input", "nlgov:missing-header", "info-contact"} <= codes


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_document_is_served_without_auth_at_v1_openapi_json(service: str) -> None:
    app = app_of(service)
    assert app.openapi_url == "/v1/openapi.json"
    document = app.openapi()
    assert document["servers"][0]["url"].endswith(f"/{service}/v1")
    assert all(not path.startswith("/v1") for path in document["paths"])
