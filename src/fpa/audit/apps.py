from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fpa.audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from . import exports  # noqa: F401  (registers the export job)
