from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fpa.audit"
    verbose_name = "审计"
