from __future__ import annotations

from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "fpa.families"
    verbose_name = "特殊家庭"
