"""Programs draw on the funds ledger: their funding source is the ledger's (seen from the funding
org), and the allocations, now budget lines and transfers (funds 0002), go."""

from django.db import migrations, models

#: the old sources, named by the level that paid, as the ledger names them from the payer's side
SOURCE = {
    "central": "transfer",
    "province": "local",
    "city": "local",
    "county": "local",
    "lottery": "other",
    "donation": "donation",
    "other": "other",
}


def forward(apps, schema_editor):
    for model in ("Program", "Entitlement"):
        Model = apps.get_model("programs", model)
        for old, new in SOURCE.items():
            Model._default_manager.filter(funding_source=old).update(funding_source=new)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_date_span"),
        ("funds", "0002_from_allocations"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="entitlement",
            name="funding_source",
            field=models.CharField(
                choices=[
                    ("local", "本级财政"),
                    ("transfer", "上级转移支付"),
                    ("cfpa", "中国计生协"),
                    ("foundation", "基金会"),
                    ("donation", "社会捐赠"),
                    ("other", "其他"),
                ],
                max_length=12,
                verbose_name="资金来源",
            ),
        ),
        migrations.AlterField(
            model_name="program",
            name="funding_source",
            field=models.CharField(
                choices=[
                    ("local", "本级财政"),
                    ("transfer", "上级转移支付"),
                    ("cfpa", "中国计生协"),
                    ("foundation", "基金会"),
                    ("donation", "社会捐赠"),
                    ("other", "其他"),
                ],
                max_length=12,
                verbose_name="资金来源",
            ),
        ),
        migrations.DeleteModel(
            name="Allocation",
        ),
    ]
