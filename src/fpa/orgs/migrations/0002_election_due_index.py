"""An index for the dashboard's overdue elections (orgs with a term on record only)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="org",
            index=models.Index(
                condition=models.Q(("next_election_due__isnull", False)),
                fields=["next_election_due"],
                name="org_election_due",
            ),
        ),
    ]
