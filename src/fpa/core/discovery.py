"""Finding what each app declares in a module of a given name (`<app>/figures.py`,
`<app>/menu.py`), through the app registry: nothing registers by hand, so a new app's
declarations appear by writing the module."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> Iterator[ModuleType]:
    """Each installed app's module `name`, in INSTALLED_APPS order; apps without one are
    skipped, but an import error inside a module that exists is raised."""
    for config in apps.get_app_configs():
        try:
            yield importlib.import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
