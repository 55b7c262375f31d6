from __future__ import annotations

from django.db import migrations


def load_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    from fpa.accounts.roles import sync

    sync(
        apps.get_model("accounts", "Role"),
        apps.get_model("accounts", "Grant"),
        apps.get_model("accounts", "GrantRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles_and_login_log")]

    operations = [migrations.RunPython(load_roles, migrations.RunPython.noop)]
