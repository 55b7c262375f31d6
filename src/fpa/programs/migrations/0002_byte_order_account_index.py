"""The bank account's blind index and last four compared byte by byte (fpa.core.fields)."""

from django.db import migrations

import fpa.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="payee",
            name="account_index",
            field=fpa.core.fields.ByteOrderCharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                null=True,
                verbose_name="银行账号（索引）",
            ),
        ),
        migrations.AlterField(
            model_name="payee",
            name="account_last4",
            field=fpa.core.fields.ByteOrderCharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=4,
                verbose_name="银行账号（后四位）",
            ),
        ),
    ]
