from __future__ import annotations

from django.db import migrations

# The province's four systems: a visit and emotional support every quarter, volunteer service and
# insurance cover every year. Administrators change these rows, not code.
RULES = [
    ("visit", "quarter"),
    ("emotional", "quarter"),
    ("volunteer", "year"),
    ("insurance", "year"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    rule = apps.get_model("families", "CoverageRule")
    for kind, period in RULES:
        rule.objects.get_or_create(kind=kind, defaults={"period": period})


class Migration(migrations.Migration):
    dependencies = [("families", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
