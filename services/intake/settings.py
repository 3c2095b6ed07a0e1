"""Intake's settings: the shared ones, with INTAKE_ overrides."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings

API_VERSION = "1.0.0"


class IntakeSettings(ServiceSettings):
    """Configuration of the intake process."""

    service: ClassVar[str] = "intake"
