from __future__ import annotations

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from fpa.families.festivals import load as load_file

    load_file(apps.get_model("families", "Festival"))


class Migration(migrations.Migration):
    dependencies = [("families", "0002_coverage_rules")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
