from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader: above every app (it fills them all), so `core` needs to know none."""

    name = "fpa.demo"
    verbose_name = "演示数据"
