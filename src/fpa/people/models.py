"""The people registry: natural persons, households, and the positions a person holds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fpa.core.fields import ByteOrderCharField, pii_fields
from fpa.kernel.merging import Moves
from fpa.kernel.owned import OrgOwned, unindexed_places

#: the counters the registry maintains (fpa.kernel.counters): persons, and active members
PERSONS = "people.persons"
MEMBERS = "people.members"


class IdType(models.TextChoices):
    RESIDENT = "resident", "居民身份证"
    HMT = "hmt", "港澳台居民居住证"
    FOREIGNER = "foreigner", "外国人永久居留身份证"
    NONE = "none", "未登记证件"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    DECEASED = "deceased", "已故"
    MERGED = "merged", "已合并"


class Person(OrgOwned):
    """One natural person, once province-wide; `org` is where they live (village or migrant)."""

    # Merged duplicates move too (they are history of the place) but are not counted.
    on_merge = Moves("persons", counts={PERSONS: ~Q(status="merged")})

    org, city, county, township = unindexed_places().values()

    # Byte order: the plain name and initials indexes also serve prefix search (LIKE '王%').
    name = ByteOrderCharField("姓名", max_length=50)
    initials = ByteOrderCharField("拼音首字母", max_length=50, blank=True)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True, default="汉族")
    id_type = models.CharField(
        "证件类型", max_length=12, choices=IdType.choices, default="resident"
    )
    id_number_enc, id_number_index, id_number_last4 = pii_fields("证件号码", db_index=False)
    phone_enc, phone_index, phone_last4 = pii_fields("联系电话", db_index=False)
    hukou_code = models.CharField("户籍地区划代码", max_length=12, blank=True)
    hukou_address = models.CharField("户籍地址", max_length=200, blank=True)
    address = models.CharField("居住地址", max_length=200, blank=True)
    household = models.ForeignKey(
        "Household",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
        db_index=False,  # a partial index below: most persons have none
    )
    status = models.CharField(
        "状态", max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # a partial index below: merged records are few
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwned.Meta):
        verbose_name = "人员"
        constraints = [
            # One person, one record, province-wide: the document is unique where present.
            # The blind index leads, so the constraint's index also answers a lookup by number
            # alone (an import's numbers): no second index on it to maintain.
            models.UniqueConstraint(
                fields=["id_number_index", "id_type"],
                condition=Q(id_number_index__isnull=False),
                name="person_document_unique",
            ),
        ]
        # Every index here is paid for by every inserted person (an import of 100,000 rows into
        # 5 million: docs/people.md): only the orderings and lookups the pages offer. Under the
        # byte-order collation of name and initials the same indexes serve prefix search.
        indexes = [
            models.Index(fields=["county", "name", "id"], name="person_county_name"),
            models.Index(fields=["township", "name", "id"], name="person_township_name"),
            models.Index(fields=["city", "name", "id"], name="person_city_name"),
            models.Index(fields=["org", "name", "id"], name="person_org_name"),
            models.Index(fields=["name", "id"], name="person_name"),
            models.Index(fields=["county", "initials"], name="person_county_initials"),
            models.Index(fields=["initials"], name="person_initials"),
            models.Index(fields=["id_number_last4"], name="person_id_number_last4"),
            # Partial: a person without a phone, household or merge costs these nothing.
            models.Index(
                fields=["phone_index"],
                name="person_phone_index",
                condition=Q(phone_index__isnull=False),
            ),
            models.Index(
                fields=["phone_last4"], name="person_phone_last4", condition=~Q(phone_last4="")
            ),
            models.Index(
                fields=["household"],
                name="person_household",
                condition=Q(household__isnull=False),
            ),
            models.Index(
                fields=["merged_into"],
                name="person_merged_into",
                condition=Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    OTHER = "other", "其他"


class Household(OrgOwned):
    """A household (户); special families, projects and loans attach to it later."""

    on_merge = Moves("households")

    head = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField("住址", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "家庭户"

    def __str__(self) -> str:
        return f"{self.head.name if self.head else ''}户"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField("与户主关系", max_length=12, choices=Relation.choices)

    class Meta:
        verbose_name = "家庭成员"
        constraints = [
            models.UniqueConstraint(fields=["person"], name="household_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_relation_display()}"


class MemberGroup(OrgOwned):
    """A members' small group (会员小组) under a village association."""

    on_merge = Moves("member_groups")

    name = models.CharField("名称", max_length=100)
    leader = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(OrgOwned.Meta):
        verbose_name = "会员小组"

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    RELOCATED = "relocated", "已转出"
    LAPSED = "lapsed", "失效"
    DECEASED = "deceased", "已故"


class Membership(OrgOwned):
    """A person's membership (会员) of one org, with a card number that names the issuing org."""

    # Lapsed, relocated and deceased members are history of the org they were members of.
    on_merge = Moves("memberships", where=Q(status="active"), counts={MEMBERS: Q()})

    # city keeps its index: no composite index starts with it.
    places = unindexed_places()
    org, county, township = places["org"], places["county"], places["township"]
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    # Unique through a constraint, not unique=True: card numbers are only compared for equality,
    # and unique=True adds a *_like pattern-ops index on PostgreSQL.
    card_number = models.CharField("会员证号", max_length=20)
    joined_on = models.DateField("入会日期")
    status = models.CharField(
        "状态", max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    group = models.ForeignKey(
        MemberGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    #: the member groups of its org the person page offers (people.views): no column
    available_groups: list[MemberGroup]

    class Meta(OrgOwned.Meta):
        verbose_name = "会员"
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="membership_one_active"
            ),
            models.UniqueConstraint(fields=["card_number"], name="membership_card_number_unique"),
        ]
        indexes = [
            models.Index(fields=["county", "status", "joined_on"], name="member_county_status"),
            models.Index(fields=["township", "status"], name="member_township_status"),
            models.Index(fields=["org", "status"], name="member_org_status"),
        ]

    def __str__(self) -> str:
        return self.card_number


class MembershipEvent(models.Model):
    """The history of a membership: joined, relocated, lapsed, deceased."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    at = models.DateField("日期")
    status = models.CharField("状态", max_length=12, choices=MembershipStatus.choices)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "会员变动"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at} {self.get_status_display()}"


class CardCounter(models.Model):
    """The last card sequence issued per county-level org and year (locked when issuing)."""

    prefix = models.CharField(max_length=8)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix"], name="cardcounter_prefix")]

    def __str__(self) -> str:
        return f"{self.prefix}:{self.last}"


class RelocationStatus(models.TextChoices):
    PENDING = "pending", "待接收"
    ACCEPTED = "accepted", "已接收"
    REJECTED = "rejected", "已拒绝"


class Relocation(models.Model):
    """A person registered elsewhere, asked to move: the holding org accepts or refuses."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    from_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("原因", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=RelocationStatus.choices, default=RelocationStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "转入申请"
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="pending"), name="relocation_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.to_org_id}"


from .positions import (  # noqa: E402,F401  (models of this app, split by idea)
    CouncilMember,
    GroupMember,
    Officer,
    Staff,
    Volunteer,
)
