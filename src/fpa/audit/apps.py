from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fpa.audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from fpa.core.exporters import set_recorder

        from . import exports  # noqa: F401  (registers the export job)
        from .services import record

        # every export's entry (core, which runs the exports, imports no app)
        set_recorder(lambda actor, action, changes: record(actor, action, None, changes))
