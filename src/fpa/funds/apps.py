from __future__ import annotations

from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "fpa.funds"
    verbose_name = "资金"

    def ready(self) -> None:
        from . import exports, imports  # noqa: F401  (registers the export and import jobs)
