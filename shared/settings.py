"""Settings every service shares; each service subclasses with its name and its own fields.

Shared names (DATABASE_URL, NATS_URL, AUTH_*) come from the environment unprefixed; a
service-prefixed variable (INTAKE_DATABASE_URL) wins for that service alone, so one shell can
run five services on five databases.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar, Literal

from pydantic import model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

DEV_SECRET = "dev-only-secret-not-for-production-use-0123456789"
DEV_OIN = "00000001234567890000"
PER_SERVICE_FIELDS = ("database_url", "nats_url", "log_level", "oin")


class _ServicePrefixedEnv(PydanticBaseSettingsSource):
    """`<SERVICE>_DATABASE_URL` and friends: one service's own value beats the shared one."""

    def __init__(self, settings_cls: type[BaseSettings], service: str) -> None:
        super().__init__(settings_cls)
        self._prefix = f"{service.upper()}_"

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return os.environ.get(self._prefix + field_name.upper()), field_name, False

    def __call__(self) -> dict[str, Any]:
        found = {name: os.environ.get(self._prefix + name.upper()) for name in PER_SERVICE_FIELDS}
        return {name: value for name, value in found.items() if value}


class ServiceSettings(BaseSettings):
    """Configuration of one service process."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    service: ClassVar[str] = "service"

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = ""
    nats_url: str = "nats://127.0.0.1:4222"
    bus_namespace: str = ""
    # 3 on a JetStream cluster (R3: a stream survives the loss of one node), 1 on a single server.
    bus_stream_replicas: int = 1
    # Set when one gemeente runs this service for itself: its consumers then read only that
    # gemeente's events (what the organisation's NATS user may read; deploy/nats/accounts.conf).
    bus_gemeente: str = ""
    log_level: str = "INFO"
    # OIN of the organisation running this service: the CloudEvents `source`.
    oin: str = DEV_OIN
    public_url: str = "https://api.example.nl"
    max_body_bytes: int = 64 * 1024

    auth_dev_secret: str = DEV_SECRET
    auth_jwks_url: str = ""
    auth_public_key: str = ""
    auth_issuer: str = "participatiewet-dev"
    auth_audience: str = "participatiewet"

    relay_batch_size: int = 500
    consumer_max_deliveries: int = 5

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then INTAKE_DATABASE_URL-style variables, then the shared ones."""
        return (init_settings, _ServicePrefixedEnv(settings_cls, cls.service), env_settings,
                dotenv_settings, file_secret_settings)

    @model_validator(mode="after")
    def _refuse_dev_secrets_in_production(self) -> ServiceSettings:
        if self.environment == "production":
            uses_dev_secret = not (self.auth_jwks_url or self.auth_public_key)
            if uses_dev_secret and self.auth_dev_secret == DEV_SECRET:
                raise ValueError("production needs AUTH_JWKS_URL or AUTH_PUBLIC_KEY "
                                 "(or at least a non-default AUTH_DEV_SECRET)")
            if not self.database_url:
                raise ValueError("production needs DATABASE_URL")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The configured database, or this service's SQLite file under var/."""
        return self.database_url or f"sqlite+aiosqlite:///var/{self.service}.db"
