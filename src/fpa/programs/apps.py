from __future__ import annotations

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "fpa.programs"
    verbose_name = "帮扶项目"

    def ready(self) -> None:
        from . import exports, imports  # noqa: F401  (registers the import and export jobs)
