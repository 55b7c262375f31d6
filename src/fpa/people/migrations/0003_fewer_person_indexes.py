"""Fewer indexes on the person and membership tables: every import pays for each one.

Gone: the ``*_like`` pattern-ops twins PostgreSQL adds for ``db_index``/``unique`` on the
blind indexes, the last-four columns and the card number (all compared for equality only),
and the single-column indexes of org/city/county/township where a composite index starts with
the same column (person_*_name, member_*_status). The plain indexes stay, under new names.

On PostgreSQL the database side is DROP INDEX and RENAME only, so a table of millions is not
re-indexed; elsewhere the ordinary operations run.
"""

import django.db.models.deletion
from django.db import migrations, models

FK = {"on_delete": django.db.models.deletion.PROTECT, "related_name": "+", "to": "orgs.org"}

STATE = [
    migrations.AlterField(
        model_name="membership",
        name="card_number",
        field=models.CharField(max_length=20, verbose_name="会员证号"),
    ),
    migrations.AddConstraint(
        model_name="membership",
        constraint=models.UniqueConstraint(
            fields=("card_number",), name="membership_card_number_unique"
        ),
    ),
    *[
        migrations.AlterField(
            model_name=model,
            name=name,
            field=models.ForeignKey(db_index=False, null=True, **FK),
        )
        for model in ("membership", "person")
        for name in ("county", "township")
    ],
    *[
        migrations.AlterField(
            model_name=model,
            name="org",
            field=models.ForeignKey(db_index=False, verbose_name="单位", **FK),
        )
        for model in ("membership", "person")
    ],
    migrations.AlterField(
        model_name="person",
        name="city",
        field=models.ForeignKey(db_index=False, null=True, **FK),
    ),
    *[
        migrations.AlterField(
            model_name="person",
            name=f"{value}_index",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                null=True,
                verbose_name=f"{label}（索引）",
            ),
        )
        for value, label in (("id_number", "证件号码"), ("phone", "联系电话"))
    ],
    *[
        migrations.AlterField(
            model_name="person",
            name=f"{value}_last4",
            field=models.CharField(
                blank=True, editable=False, max_length=4, verbose_name=f"{label}（后四位）"
            ),
        )
        for value, label in (("id_number", "证件号码"), ("phone", "联系电话"))
    ],
    *[
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=[column], name=f"person_{column}"),
        )
        for column in ("id_number_index", "id_number_last4", "phone_index", "phone_last4")
    ],
]

# The names Django gave the indexes of db_index=True / unique=True (table, column, hash).
PLAIN = {
    "people_person_id_number_index_d11272fc": "person_id_number_index",
    "people_person_id_number_last4_8b1db097": "person_id_number_last4",
    "people_person_phone_index_645eefb9": "person_phone_index",
    "people_person_phone_last4_c9a60bce": "person_phone_last4",
}
SINGLE = {
    "people_person_org_id_fb3a2680": "people_person (org_id)",
    "people_person_city_id_f07f824b": "people_person (city_id)",
    "people_person_county_id_cd2439be": "people_person (county_id)",
    "people_person_township_id_eeb210f8": "people_person (township_id)",
    "people_membership_org_id_aff212e2": "people_membership (org_id)",
    "people_membership_county_id_8eb71826": "people_membership (county_id)",
    "people_membership_township_id_b5cc4ae7": "people_membership (township_id)",
}
LIKE = {
    **{
        f"{old}_like": f"people_person ({new[7:]} varchar_pattern_ops)"
        for old, new in PLAIN.items()
    },
    "people_membership_card_number_0f12d77c_like": "people_membership (card_number varchar_pattern_ops)",
}
CARD = ("people_membership_card_number_key", "membership_card_number_unique")

FORWARDS = [
    *[f"DROP INDEX IF EXISTS {name}" for name in [*LIKE, *SINGLE]],
    *[f"ALTER INDEX {old} RENAME TO {new}" for old, new in PLAIN.items()],
    f"ALTER TABLE people_membership RENAME CONSTRAINT {CARD[0]} TO {CARD[1]}",
]
BACKWARDS = [
    f"ALTER TABLE people_membership RENAME CONSTRAINT {CARD[1]} TO {CARD[0]}",
    *[f"ALTER INDEX {new} RENAME TO {old}" for old, new in PLAIN.items()],
    *[f"CREATE INDEX {name} ON {table}" for name, table in {**SINGLE, **LIKE}.items()],
]


class ByVendor(migrations.SeparateDatabaseAndState):
    """The state operations everywhere; their database side as `FORWARDS`/`BACKWARDS` SQL on
    PostgreSQL, and as the operations themselves on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            for sql in FORWARDS:
                schema_editor.execute(sql)
            return
        for operation in self.state_operations:
            state = from_state.clone()
            operation.state_forwards(app_label, state)
            operation.database_forwards(app_label, schema_editor, from_state, state)
            from_state = state

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            for sql in BACKWARDS:
                schema_editor.execute(sql)
            return
        states = [to_state]
        for operation in self.state_operations[:-1]:
            state = states[-1].clone()
            operation.state_forwards(app_label, state)
            states.append(state)
        for operation, state in zip(reversed(self.state_operations), reversed(states), strict=True):
            after = state.clone()
            operation.state_forwards(app_label, after)
            operation.database_backwards(app_label, schema_editor, after, state)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("people", "0002_prefix_search_indexes"),
    ]

    operations = [ByVendor(state_operations=STATE)]
