"""Every service's app, built the way `python -m services.<name>` builds it, by name."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module
from pathlib import Path

from fastapi import FastAPI

from shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]

# The one list of services is scripts/devstack.py's; `make run` starts exactly these.
SERVICE_NAMES: list[str] = subprocess.run(
    [sys.executable, "scripts/devstack.py", "--list-services"], cwd=ROOT, capture_output=True,
    text=True, check=True, timeout=30).stdout.split()


def settings_class(name: str) -> type[ServiceSettings]:
    """The service's own settings class (the one ServiceSettings subclass its module defines)."""
    module = import_module(f"services.{name}.settings")
    found = [c for c in vars(module).values() if isinstance(c, type)
             and issubclass(c, ServiceSettings) and c.__module__ == module.__name__]
    assert len(found) == 1, f"services.{name}.settings should define one settings class"
    return found[0]


def app_of(name: str) -> FastAPI:
    """The service's app with test settings (no lifespan started)."""
    create_app = import_module(f"services.{name}.main").create_app
    app: FastAPI = create_app(settings_class(name)(environment="test"))
    return app
