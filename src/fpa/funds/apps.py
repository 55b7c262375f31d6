from __future__ import annotations

from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "fpa.funds"
    verbose_name = "资金"

    def ready(self) -> None:
        # registers the export and import jobs
        from . import donation_exports, donation_imports, exports, imports  # noqa: F401
