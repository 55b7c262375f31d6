"""The association tree: one Org per division node and per non-territorial association."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from fpa.core.dates import span_constraint
from fpa.kernel.merging import Moves
from fpa.kernel.scope import ScopedManager, ScopedQuerySet

# Each level of the materialized path is a fixed-width run of digits: the org's position
# among its siblings. Fixed width and digits only keep string order equal to tree order
# under any collation, so a subtree is one indexed prefix range.
PATH_STEP = 5


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市州"
    COUNTY = "county", "县市区"
    TOWNSHIP = "township", "乡镇（街道）"
    VILLAGE = "village", "村（社区）"


LEVEL_ORDER: list[str] = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]


class Kind(models.TextChoices):
    TERRITORIAL = "territorial", "区划计生协"
    SCHOOL = "school", "学校计生协"
    HOSPITAL = "hospital", "医院计生协"
    ENTERPRISE = "enterprise", "企业计生协"
    NEW_ECONOMY = "new_economy", "两新组织计生协"
    MIGRANT = "migrant", "流动人口计生协（驻外）"
    OTHER = "other", "其他计生协"


class Status(models.TextChoices):
    ESTABLISHED = "established", "已成立"
    NOT_ESTABLISHED = "not_established", "未成立"
    ABOLISHED = "abolished", "已撤销"


class OrgQuerySet(ScopedQuerySet["Org"]):
    scope_prefix = ""

    def live(self) -> OrgQuerySet:
        return self.exclude(status=Status.ABOLISHED)


class Org(models.Model):
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级",
    )
    path = models.CharField("路径", max_length=80, unique=True)
    depth = models.PositiveSmallIntegerField("层级深度")
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.TERRITORIAL)
    name = models.CharField("名称", max_length=100)
    initials = models.CharField("拼音首字母", max_length=100, blank=True, db_index=True)
    code = models.CharField("区划代码", max_length=12, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.NOT_ESTABLISHED
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    abolished_on = models.DateField("撤销日期", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        verbose_name="承继单位",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    term_start = models.DateField("本届开始", null=True, blank=True)
    next_election_due = models.DateField("下次换届", null=True, blank=True)
    # The org's ancestors, itself included, copied so that large tables can be scoped
    # by one indexed column instead of a path prefix.
    city = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager.from_queryset(OrgQuerySet)()
    unscoped_objects = OrgQuerySet.as_manager()

    # Marks the tree and search pages set on the orgs they show (orgs.tree, orgs.views), for
    # their templates: annotations only, no column.
    trail: list[str]
    has_children: bool
    in_reach: bool

    class Meta:
        default_manager_name = "unscoped_objects"
        verbose_name = "计生协"
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["county", "level"], name="org_county_level"),
            models.Index(fields=["township", "level"], name="org_township_level"),
            models.Index(fields=["city", "level"], name="org_city_level"),
            models.Index(fields=["parent", "path"], name="org_parent_path"),
            # The dashboard's overdue elections: only orgs with a term on record are indexed.
            models.Index(
                fields=["next_election_due"],
                name="org_election_due",
                condition=Q(next_election_due__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="territorial") | Q(code=""),
                name="org_division_code_territorial_only",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_territorial(self) -> bool:
        return self.kind == Kind.TERRITORIAL

    @property
    def election_overdue(self) -> bool:
        return bool(self.next_election_due and self.next_election_due < timezone.localdate())

    def ancestors(self) -> list[Org]:
        """The chain from the root down to the parent (one query)."""
        prefixes = [self.path[:i] for i in range(PATH_STEP, len(self.path), PATH_STEP)]
        return list(Org.unscoped_objects.filter(path__in=prefixes).order_by("path"))


class DivisionCode(models.Model):
    """The division codes an org has carried: codes get renumbered and reused, so each is dated."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="division_codes")
    code = models.CharField("区划代码", max_length=12)
    name = models.CharField("名称", max_length=100)
    table = models.CharField("代码表版本", max_length=16)
    valid_from = models.DateField("启用日期")
    valid_to = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = "区划代码"
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="division_code_current"
            ),
            span_constraint("division", "valid_from", "启用日期"),
            span_constraint("division", "valid_to", "停用日期"),
        ]
        indexes = [models.Index(fields=["org", "valid_from"], name="division_org_from")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Rank(models.TextChoices):
    NONE = "", "未定级"
    DEPARTMENT = "department", "正厅级"
    DEPUTY_DEPARTMENT = "deputy_department", "副厅级"
    DIVISION = "division", "正处级"
    DEPUTY_DIVISION = "deputy_division", "副处级"
    SECTION = "section", "正科级"
    DEPUTY_SECTION = "deputy_section", "副科级"
    UNIT = "unit", "股级"


class OrgYearQuerySet(ScopedQuerySet["OrgYear"]):
    ancestor_columns = False


class OrgYear(models.Model):
    """Facts that change by year, so each year's report reads that year's facts."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField("年度")
    establishment_admin = models.PositiveIntegerField("行政编制", default=0)
    establishment_public_service = models.PositiveIntegerField("事业编制", default=0)
    rank = models.CharField("机构规格", max_length=20, choices=Rank.choices, blank=True)
    party_group = models.BooleanField("设立党组", default=False)
    party_group_on = models.DateField("党组设立日期", null=True, blank=True)
    first_level_budget_unit = models.BooleanField("一级财政预算单位", default=False)
    budget = models.DecimalField("年度预算（元）", max_digits=14, decimal_places=2, default=0)
    resident_population = models.PositiveIntegerField("常住人口", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager.from_queryset(OrgYearQuerySet)()
    unscoped_objects = OrgYearQuerySet.as_manager()

    class Meta:
        default_manager_name = "unscoped_objects"
        verbose_name = "年度概况"
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="orgyear_org_year"),
            span_constraint("orgyear", "year", "年度", year=True),
            models.CheckConstraint(
                condition=Q(party_group=True) | Q(party_group_on__isnull=True),
                name="orgyear_party_group_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}"


class SiteKind(models.TextChoices):
    MEMBER_HOME = "member_home", "会员之家"
    WARM_HOME = "warm_home", "暖心家园"
    HEALTH_STATION = "health_station", "健康驿站"
    CHILDBEARING_CENTRE = "childbearing_centre", "优生优育指导中心"
    PARENT_CHILD_ROOM = "parent_child_room", "亲子小屋"
    YOUTH_HEALTH_BASE = "youth_health_base", "青春健康教育基地"
    MIGRANT_HOME = "migrant_home", "流动人口计生协之家"


class SiteStatus(models.TextChoices):
    OPEN = "open", "运行中"
    SUSPENDED = "suspended", "暂停"
    CLOSED = "closed", "已关闭"


class ServiceSite(models.Model):
    """A service site (阵地) run by an org."""

    # Open sites go on serving the successor's people; a closed one stays where it closed.
    on_merge = Moves("sites", where=~Q(status=SiteStatus.CLOSED))

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="sites")
    city = models.ForeignKey(Org, null=True, on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(Org, null=True, on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(Org, null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("阵地类型", max_length=24, choices=SiteKind.choices)
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    opened_on = models.DateField("建成日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=SiteStatus.choices, default="open")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    unscoped_objects = ScopedQuerySet.as_manager()

    class Meta:
        default_manager_name = "unscoped_objects"
        verbose_name = "阵地"
        ordering = ["kind", "name"]
        indexes = [
            models.Index(fields=["county", "kind"], name="site_county_kind"),
            models.Index(fields=["township", "kind"], name="site_township_kind"),
            models.Index(fields=["city", "kind"], name="site_city_kind"),
        ]

    def __str__(self) -> str:
        return self.name
