"""No foreign-key constraint on the copied ancestor columns (city, county, township) of the
person and membership tables: each constraint is a check per inserted row at COMMIT, and the
columns are copies of the org's own (see `fpa.kernel.owned.unindexed_places`). Drops only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("people", "0004_byte_order_and_leaner_person_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="county",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.org",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="township",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.org",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="city",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.org",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="county",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.org",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="township",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.org",
            ),
        ),
    ]
