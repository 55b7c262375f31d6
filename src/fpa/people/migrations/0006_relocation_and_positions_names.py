"""One word per idea (issue 12): a person moving between orgs is a relocation, never a transfer
(that word is kept for 转移支付); the posts a person holds are positions. The table, the
constraint, the stored membership status and the queued export jobs' kind are renamed in place,
so no row is lost; audit entries keep the names they were written with (they are immutable)."""

from __future__ import annotations

from django.db import migrations, models
from django.db.models import Q

STATUS = [("transferred", "relocated")]
JOB_KIND = [("people.export.roles", "people.export.positions")]


def _rename(apps, pairs_status, pairs_kind):  # type: ignore[no-untyped-def]
    Membership = apps.get_model("people", "Membership")
    MembershipEvent = apps.get_model("people", "MembershipEvent")
    Job = apps.get_model("core", "Job")
    for old, new in pairs_status:
        Membership._base_manager.filter(status=old).update(status=new)
        MembershipEvent._base_manager.filter(status=old).update(status=new)
    for old, new in pairs_kind:
        Job._base_manager.filter(kind=old).update(kind=new)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _rename(apps, STATUS, JOB_KIND)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _rename(apps, [(b, a) for a, b in STATUS], [(b, a) for a, b in JOB_KIND])


CHOICES = [
    ("active", "正常"),
    ("relocated", "已转出"),
    ("lapsed", "失效"),
    ("deceased", "已故"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_org_counters"),
        ("orgs", "0001_initial"),
        ("people", "0005_ancestor_columns_unconstrained"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="transferrequest", name="transfer_one_pending"),
        migrations.RenameModel(old_name="TransferRequest", new_name="Relocation"),
        migrations.AddConstraint(
            model_name="relocation",
            constraint=models.UniqueConstraint(
                condition=Q(status="pending"), fields=("person",), name="relocation_one_pending"
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="status",
            field=models.CharField(
                choices=CHOICES, default="active", max_length=12, verbose_name="状态"
            ),
        ),
        migrations.AlterField(
            model_name="membershipevent",
            name="status",
            field=models.CharField(choices=CHOICES, max_length=12, verbose_name="状态"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
