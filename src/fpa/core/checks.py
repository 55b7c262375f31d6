"""System checks that refuse an unsafe production configuration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}


@checks.register(checks.Tags.security)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if not settings.SECRET_KEY:
        errors.append(
            checks.Error(
                "SECRET_KEY is not set.",
                hint="Set SECRET_KEY or SECRET_KEY_FILE (docs/operations.md).",
                id="fpa.E001",
            )
        )
    if not (settings.DEBUG or getattr(settings, "TESTING", False)) and not (
        settings.FPA_DATA_KEY or settings.FPA_DATA_KEY_FILE
    ):
        errors.append(
            checks.Error(
                "No key for personal data at rest.",
                hint="Set FPA_DATA_KEY or FPA_DATA_KEY_FILE (docs/keys.md).",
                id="fpa.E003",
            )
        )
    public = [h for h in settings.ALLOWED_HOSTS if h not in LOCAL_HOSTS]
    if settings.DEBUG and public:
        errors.append(
            checks.Error(
                f"DEBUG is on while the site answers public hosts: {', '.join(public)}.",
                hint="Set DEBUG=false in production; DEBUG pages reveal settings and data.",
                id="fpa.E002",
            )
        )
    return errors
