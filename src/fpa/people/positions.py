"""The other positions a person holds: volunteer, council member, staff, officer; group members."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from fpa.kernel.merging import Moves, Stays
from fpa.kernel.owned import OrgOwned

from .models import Person


class Volunteer(OrgOwned):
    on_merge = Moves("volunteers", where=Q(active=True))

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="volunteering")
    skills = models.CharField("特长", max_length=200, blank=True)
    hours = models.DecimalField("服务时长（小时）", max_digits=8, decimal_places=1, default=0)
    since = models.DateField("注册日期")
    active = models.BooleanField("在册", default=True)

    class Meta(OrgOwned.Meta):
        verbose_name = "志愿者"
        indexes = [models.Index(fields=["county", "active"], name="volunteer_county")]

    def __str__(self) -> str:
        return f"{self.person} 志愿者"


class CouncilMember(OrgOwned):
    """A member of an org's council (理事), possibly of its standing council."""

    on_merge = Stays("a seat on the abolished association's council: the term ends with it")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="councils")
    standing = models.BooleanField("常务理事", default=False)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束")

    class Meta(OrgOwned.Meta):
        verbose_name = "理事"
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="council_term_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} 理事"


class EstablishmentKind(models.TextChoices):
    ADMIN = "admin", "行政编"
    PUBLIC_SERVICE = "public_service", "事业编"
    NONE = "none", "无编制"


class Staff(OrgOwned):
    on_merge = Stays("a post in the abolished association: it ends with the association")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts")
    post = models.CharField("岗位", max_length=50)
    full_time = models.BooleanField("专职", default=True)
    establishment = models.CharField(
        "编制", max_length=16, choices=EstablishmentKind.choices, default=EstablishmentKind.NONE
    )
    since = models.DateField("到岗日期", null=True, blank=True)
    until = models.DateField("离岗日期", null=True, blank=True)

    class Meta(OrgOwned.Meta):
        verbose_name = "工作人员"
        indexes = [models.Index(fields=["org", "until"], name="staff_org_until")]

    def __str__(self) -> str:
        return f"{self.person} {self.post}"


class Position(models.TextChoices):
    PRESIDENT = "president", "会长"
    VICE_PRESIDENT = "vice_president", "副会长"
    SECRETARY_GENERAL = "secretary_general", "秘书长"


class Officer(OrgOwned):
    """An officer of an org, with a term; township and village deputies are filed (备案)."""

    on_merge = Stays("an office of the abolished association: the term ends with it")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="offices")
    position = models.CharField("职务", max_length=20, choices=Position.choices)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束")
    filed_on = models.DateField("报县级备案日期", null=True, blank=True)

    class Meta(OrgOwned.Meta):
        verbose_name = "会长/副会长/秘书长"
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="officer_term_order"
            ),
        ]
        indexes = [models.Index(fields=["org", "term_end"], name="officer_org_term")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_position_display()}"


class GroupMember(OrgOwned):
    """An organization that is a member (团体会员), counted apart from persons."""

    on_merge = Moves("group_members")

    name = models.CharField("单位名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    joined_on = models.DateField("入会日期")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "团体会员"

    def __str__(self) -> str:
        return self.name
