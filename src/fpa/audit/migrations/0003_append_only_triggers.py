from __future__ import annotations

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from fpa.audit.chain import install_triggers

    install_triggers(schema_editor.connection, ("logentry",))


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    from fpa.audit.chain import remove_triggers

    remove_triggers(schema_editor.connection, ("logentry",))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain")]

    operations = [migrations.RunPython(install, remove)]
