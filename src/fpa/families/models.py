"""Special families (计生特殊家庭): the registry, the three arrangements and the care records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fpa.core.dates import span_constraint
from fpa.kernel.merging import Moves, Stays
from fpa.kernel.owned import OrgOwned


class FamilyKind(models.TextChoices):
    BEREAVED = "bereaved", "失独家庭"
    DISABLED = "disabled", "伤残家庭"


class FamilyStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    MOVED = "moved", "已迁出"
    ENDED = "ended", "已终止"


class Health(models.TextChoices):
    GOOD = "good", "良好"
    CHRONIC = "chronic", "慢性病"
    DISABLED = "disabled", "残疾"
    BEDRIDDEN = "bedridden", "失能卧床"


class SpecialFamily(OrgOwned):
    """A household recognized as a special family; `org` is the village that holds it now."""

    # Families still on the register are cared for by the successor; moved or ended ones are
    # history of the village that held them.
    on_merge = Moves("families", where=Q(status=FamilyStatus.ACTIVE))

    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="special_families"
    )
    kind = models.CharField("类别", max_length=10, choices=FamilyKind.choices)
    recognized_on = models.DateField("认定日期")
    status = models.CharField(
        "状态", max_length=10, choices=FamilyStatus.choices, default=FamilyStatus.ACTIVE
    )
    status_on = models.DateField("状态日期")
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    child_name = models.CharField("子女姓名", max_length=50)
    child_birth_date = models.DateField("子女出生日期", null=True, blank=True)
    child_died_on = models.DateField("子女死亡日期", null=True, blank=True)
    # Sensitive: shown on the family page only, never on a list, never in an export.
    child_cause = models.CharField("死亡或致残原因", max_length=200, blank=True)
    disability_grade = models.PositiveSmallIntegerField("残疾等级", null=True, blank=True)
    certificate_no = models.CharField("证明编号", max_length=50, blank=True)
    living_alone = models.BooleanField("独居", default=False)
    health = models.CharField("健康状况", max_length=10, choices=Health.choices, default="good")
    income_difficulty = models.BooleanField("经济困难", default=False)
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    #: what the family is due, in words, set by the worklist page (families.views): no column
    gap_labels: list[str]

    class Meta(OrgOwned.Meta):
        verbose_name = "计生特殊家庭"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="disabled") | Q(disability_grade__isnull=True),
                name="family_grade_only_disabled",
            ),
            models.CheckConstraint(
                condition=Q(disability_grade__isnull=True)
                | Q(disability_grade__gte=1, disability_grade__lte=4),
                name="family_grade_range",
            ),
        ]
        indexes = [
            models.Index(fields=["county", "status"], name="family_county_status"),
            models.Index(fields=["township", "status"], name="family_township_status"),
            models.Index(fields=["org", "status"], name="family_org_status"),
        ]

    def __str__(self) -> str:
        """The one name of a family on every page, list, export and program row: its
        household head's, as the household is named (董文玉家 beside 董文玉户) — never the child's,
        who for a bereaved family has died. Lists select `NAME_RELATED` to name rows without a
        query each."""
        head = self.household.head
        return f"{head.name if head else self.child_name}家"

    #: what naming a family reads: select it with every list of families
    NAME_RELATED = ("household__head",)


class FamilyParent(models.Model):
    """A parent of a special family: support is paid per parent, so the status is per person."""

    family = models.ForeignKey(SpecialFamily, on_delete=models.CASCADE, related_name="parents")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    since = models.DateField("起始日期")
    until = models.DateField("终止日期", null=True, blank=True)

    class Meta:
        verbose_name = "特殊家庭父母"
        constraints = [
            # A person belongs to at most one active special family.
            models.UniqueConstraint(
                fields=["person"], condition=Q(until__isnull=True), name="parent_one_active_family"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.family_id}"


class FamilyEvent(models.Model):
    """The dated history of a family: recognized, moved (from one org to another), ended."""

    family = models.ForeignKey(SpecialFamily, on_delete=models.CASCADE, related_name="events")
    on = models.DateField("日期")
    status = models.CharField("状态", max_length=10, choices=FamilyStatus.choices)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["family", "on"], name="family_event_on")]

    def __str__(self) -> str:
        return f"{self.on} {self.status}"


class ContactRole(models.TextChoices):
    CADRE = "cadre", "乡镇干部"
    HEALTH_WORKER = "health_worker", "村医"


class PairedContact(models.Model):
    """双岗联系人: exactly one township cadre and one village health worker at a time."""

    family = models.ForeignKey(SpecialFamily, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField("岗位", max_length=16, choices=ContactRole.choices)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    since = models.DateField("起始日期")
    until = models.DateField("终止日期", null=True, blank=True)

    class Meta:
        verbose_name = "双岗联系人"
        constraints = [
            models.UniqueConstraint(
                fields=["family", "role"],
                condition=Q(until__isnull=True),
                name="contact_one_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person_id}"


class GreenChannel(models.Model):
    family = models.ForeignKey(SpecialFamily, on_delete=models.CASCADE, related_name="cards")
    number = models.CharField("卡号", max_length=50)
    hospital = models.CharField("医院", max_length=100)
    issued_on = models.DateField("办理日期")

    class Meta:
        verbose_name = "就医绿色通道"

    def __str__(self) -> str:
        return self.number


class DoctorContract(models.Model):
    family = models.ForeignKey(SpecialFamily, on_delete=models.CASCADE, related_name="doctors")
    doctor = models.CharField("签约医生", max_length=50)
    institution = models.CharField("医疗机构", max_length=100)
    signed_on = models.DateField("签约日期")
    renewal_due = models.DateField("续约日期")

    class Meta:
        verbose_name = "家庭医生签约"

    def __str__(self) -> str:
        return f"{self.doctor} {self.signed_on}"


class Festival(models.Model):
    """A festival of one year with its visiting window (lunar dates move every year)."""

    code = models.CharField(max_length=20)
    name = models.CharField("节日", max_length=20)
    year = models.PositiveSmallIntegerField("年份")
    date = models.DateField("日期")
    window_start = models.DateField("走访起始")
    window_end = models.DateField("走访截止")

    class Meta:
        verbose_name = "节日"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="festival_year"),
            span_constraint("festival", "year", "年份", year=True),
            span_constraint("festival", "date", "节日日期"),
            span_constraint("festival", "window_start", "走访起始日期"),
            span_constraint("festival", "window_end", "走访截止日期"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class CareKind(models.TextChoices):
    EMOTIONAL = "emotional", "精神慰藉"
    VISIT = "visit", "走访慰问"
    VOLUNTEER = "volunteer", "志愿服务"
    INSURANCE = "insurance", "保险保障"


class CareRecord(OrgOwned):
    """One act of care for a family (the four systems), dated when it happened."""

    on_merge = Stays("history: care given by the org that gave it")

    family = models.ForeignKey(SpecialFamily, on_delete=models.PROTECT, related_name="care")
    kind = models.CharField("类别", max_length=12, choices=CareKind.choices)
    on = models.DateField("日期")
    by = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="服务人员",
    )
    by_name = models.CharField("服务人员", max_length=50, blank=True)
    what = models.CharField("内容", max_length=300)
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2, default=0)
    goods = models.CharField("物品", max_length=200, blank=True)
    festival = models.ForeignKey(
        Festival, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta(OrgOwned.Meta):
        verbose_name = "关怀记录"
        indexes = [
            models.Index(fields=["family", "on"], name="care_family_on"),
            models.Index(fields=["county", "kind", "on"], name="care_county_kind_on"),
            models.Index(fields=["festival", "family"], name="care_festival_family"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="care_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class CareAttachment(models.Model):
    record = models.ForeignKey(CareRecord, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="care/%Y/%m/")
    label = models.CharField("说明", max_length=50, blank=True)

    def __str__(self) -> str:
        return self.label or self.file.name


class Period(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    YEAR = "year", "每年"


class CoverageRule(models.Model):
    """How often each kind of care is due, as data an administrator edits."""

    kind = models.CharField("关怀类别", max_length=12, choices=CareKind.choices, unique=True)
    period = models.CharField("周期", max_length=10, choices=Period.choices)
    enabled = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "关怀要求"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_period_display()}"


class CoverageSnapshot(models.Model):
    """Coverage of a province or city computed in the background (a GROUP BY over 150k families
    takes seconds): the page shows it with its time and offers a refresh."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    end = models.DateField()
    festival = models.ForeignKey(Festival, null=True, on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(default=timezone.now)
    totals = models.JSONField(default=dict)
    rows = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["org", "end", "festival"], name="snapshot_lookup")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.end}"
