from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin, _user_has_perm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.models import validate_phone


class Organization(models.Model):
    """A commune-level authority (UBND xã / phường / đặc khu) running its own campaigns."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")
        PROVINCE = "province", _("Tỉnh, thành phố (cấp trên của xã)")

    name = models.CharField(_("tên đầy đủ"), max_length=200, unique=True)
    short_name = models.CharField(
        _("tên gọi tắt"),
        max_length=120,
        help_text=_("Dùng trong văn bản, ví dụ “UBND phường Phổ Minh”."),
    )
    code = models.SlugField(
        _("mã"), max_length=50, unique=True, help_text=_("Chữ không dấu, dùng trong địa chỉ trang.")
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    province = models.CharField(_("tỉnh, thành phố"), max_length=100)
    place_name = models.CharField(
        _("địa danh"),
        max_length=100,
        help_text=_("Địa danh ghi ở dòng ngày tháng của văn bản, ví dụ “Phổ Minh”."),
    )
    header_parent = models.CharField(
        _("tên cơ quan chủ quản"),
        max_length=200,
        blank=True,
        help_text=_("Dòng in hoa phía trên tên cơ quan ban hành (nếu có)."),
    )
    header_name = models.TextField(
        _("tên cơ quan ban hành"),
        help_text=_(
            "In đậm trên văn bản, mỗi dòng một dòng, ví dụ “ỦY BAN NHÂN DÂN” / “PHƯỜNG PHỔ MINH”."
        ),
    )
    symbol = models.CharField(
        _("ký hiệu"), max_length=20, help_text=_("Ký hiệu cơ quan trong số văn bản, ví dụ “UBND”.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("điện thoại"), max_length=30, blank=True, validators=[validate_phone]
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)

    class Numbering(models.TextChoices):
        PER_KIND = "per_kind", _("Mỗi loại văn bản một dãy số")
        ALL_KINDS = "all_kinds", _("Một dãy số chung cho mọi loại văn bản")

    numbering = models.CharField(
        _("cách đánh số văn bản"),
        max_length=20,
        choices=Numbering.choices,
        default=Numbering.PER_KIND,
        db_default=Numbering.PER_KIND,
        help_text=_("Số văn bản bắt đầu lại từ 01 mỗi năm."),
    )
    numbers_from_register = models.BooleanField(
        _("số lấy từ sổ đăng ký của văn thư"),
        default=False,
        db_default=False,
        help_text=_(
            "Khi ban hành, người ký nhập số đã lấy trong sổ của văn thư; cổng kiểm tra số đó "
            "chưa dùng trong năm. Không chọn: cổng tự cấp số tiếp theo."
        ),
    )
    office_name = models.CharField(
        _("tên văn phòng"),
        max_length=150,
        default="Văn phòng HĐND và UBND",
        db_default="Văn phòng HĐND và UBND",
        help_text=_(
            "Bộ phận tham mưu công tác thi đua, khen thưởng, ghi trong tờ trình và quyết định, "
            "ví dụ “Văn phòng HĐND và UBND”."
        ),
    )
    finance_office_name = models.CharField(
        _("bộ phận chi tiền thưởng"),
        max_length=150,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Cùng văn phòng thi hành quyết định khen thưởng, ví dụ “Phòng Kinh tế, Hạ tầng và "
            "Đô thị”. Để trống nếu văn phòng đảm nhiệm."
        ),
    )
    council_pass_percent = models.PositiveSmallIntegerField(
        _("tỷ lệ thông qua của Hội đồng (%)"),
        default=70,
        db_default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Đề nghị được thông qua khi số phiếu đồng ý đạt tỷ lệ này trên tổng số thành viên Hội đồng."
        ),
    )
    honour_board_public = models.BooleanField(
        _("công khai bảng vinh danh"),
        default=False,
        db_default=False,
        help_text=_("Cho phép người ngoài (không đăng nhập) xem bảng vinh danh của tổ chức."),
    )
    signer_signs_pdf = models.BooleanField(
        _("người ký tự ký số tệp PDF"),
        default=False,
        db_default=False,
        help_text=_(
            "Văn bản được cấp số rồi chờ người ký tải tệp PDF về, ký bằng chứng thư số cá nhân "
            "(USB token) và tải lên; cổng kiểm tra chữ ký rồi mới ký số của cơ quan và ban hành. "
            "Không chọn: cổng ký số của cơ quan ngay khi ban hành."
        ),
    )
    public_verification = models.BooleanField(
        _("cho phép người ngoài kiểm tra văn bản"),
        default=False,
        db_default=False,
        help_text=_(
            "Người không đăng nhập được kiểm tra một tệp PDF có phải văn bản tổ chức đã ban "
            "hành, còn nguyên vẹn, và xem ai đã ký."
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True, db_default=True)
    created_at = models.DateTimeField(_("tạo lúc"), db_default=Now(), editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tổ chức")
        verbose_name_plural = pgettext_lazy("plural", "tổ chức")

    def __str__(self) -> str:
        return self.name

    # How official documents (always in Vietnamese) name each kind in running text.
    KIND_IN_TEXT = {
        "commune": "xã",
        "ward": "phường",
        "special_zone": "đặc khu",
        "province": "tỉnh",
    }

    @property
    def area_name(self) -> str:
        """How running text names the commune: "phường Phổ Minh"."""
        return f"{self.KIND_IN_TEXT.get(self.kind, '')} {self.place_name}".strip()

    @property
    def header_lines(self) -> list[str]:
        return [line.strip() for line in self.header_name.splitlines() if line.strip()]


class IssuingBody(models.Model):
    """A body of the commune besides its People's Committee that issues documents in its
    own name and layout: the Party committee (Đảng ủy), the Fatherland Front committee
    (Ủy ban MTTQ), … The People's Committee itself is the organisation (its header, symbol
    and signers are the organisation's). Every line is data: the defaults for each kind
    (``defaults_for``) follow the texts cited in docs/issuing-bodies.md and can be changed
    to the body's own practice."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Đảng ủy")
        FRONT = "front", _("Ủy ban Mặt trận Tổ quốc")
        OTHER = "other", _("Khác")

    class Layout(models.TextChoices):
        STATE = "state", _("Thể thức hành chính (Nghị định 30/2020/NĐ-CP)")
        PARTY = "party", _("Thể thức văn bản của Đảng (Hướng dẫn 36-HD/VPTW)")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="issuing_bodies",
        verbose_name=_("tổ chức"),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("tên đầy đủ"),
        max_length=200,
        help_text=_("Trong câu văn, ví dụ “Ban Thường vụ Đảng ủy phường Phổ Minh”."),
    )
    short_name = models.CharField(
        _("tên gọi tắt"),
        max_length=120,
        help_text=_("Nơi nhận phiếu đăng ký, ví dụ “Ban Thường trực Ủy ban MTTQ phường”."),
    )
    header_parent = models.CharField(
        _("dòng cơ quan cấp trên"),
        max_length=200,
        blank=True,
        help_text=_("In thường phía trên tên cơ quan ban hành, ví dụ “ĐẢNG BỘ TỈNH QUẢNG NGÃI”."),
    )
    header_name = models.TextField(
        _("tên cơ quan ban hành"),
        help_text=_("In đậm, mỗi dòng một dòng, ví dụ “ĐẢNG ỦY PHƯỜNG PHỔ MINH”."),
    )
    symbol = models.CharField(
        _("ký hiệu"),
        max_length=30,
        help_text=_("Sau loại văn bản trong số, ví dụ “ĐU” (29-HD/ĐU) hoặc “MTTQ-BTT”."),
    )
    layout = models.CharField(
        _("thể thức"), max_length=10, choices=Layout.choices, default=Layout.STATE
    )
    collective_line = models.CharField(
        _("dòng thay mặt tập thể"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ “T/M BAN THƯỜNG VỤ”, “TM. BAN THƯỜNG TRỰC”."),
    )
    head_title = models.CharField(_("chức danh người đứng đầu"), max_length=100)
    deputy_title = models.CharField(_("chức danh cấp phó"), max_length=100)
    deputy_signs_for_head = models.BooleanField(
        _("cấp phó ký thay người đứng đầu"),
        default=False,
        help_text=_(
            "Chọn: cấp phó ký “KT. CHỦ TỊCH”. Không chọn: cấp phó ký dưới dòng thay mặt tập "
            "thể, như cấp ủy (“T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ”)."
        ),
    )
    head_name = models.CharField(
        _("người đứng đầu"), max_length=150, blank=True, help_text=_("Người ký mặc định.")
    )
    term_start_year = models.PositiveSmallIntegerField(
        _("năm đầu nhiệm kỳ"),
        null=True,
        blank=True,
        help_text=_(
            "Khi số văn bản chạy liên tục trong nhiệm kỳ (văn bản của cấp ủy); để trống nếu "
            "bắt đầu lại mỗi năm."
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["organization", "kind", "name"]
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = pgettext_lazy("plural", "cơ quan ban hành")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "short_name"],
                name="issuing_body_short_name_unique_in_organization",
                violation_error_message=_("Tổ chức đã có cơ quan ban hành trùng tên gọi tắt."),
            )
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def header_lines(self) -> list[str]:
        return [line.strip() for line in self.header_name.splitlines() if line.strip()]

    def register_year(self, year: int) -> int:
        """The year whose register numbers a document of ``year``: the term's first year
        for a body numbering through its term, else the year itself."""
        if self.term_start_year and self.term_start_year <= year:
            return self.term_start_year
        return year

    @classmethod
    def defaults_for(cls, kind: str, organization: Organization) -> dict:
        """The lines a new body of ``kind`` starts with (see docs/issuing-bodies.md)."""
        place = organization.area_name.upper()
        if kind == cls.Kind.PARTY:
            return {
                "name": f"Ban Thường vụ Đảng ủy {organization.area_name}",
                "short_name": f"Ban Thường vụ Đảng ủy {organization.area_name}",
                "header_parent": f"ĐẢNG BỘ TỈNH {organization.province.upper()}",
                "header_name": f"ĐẢNG ỦY {place}",
                "symbol": "ĐU",
                "layout": cls.Layout.PARTY,
                "collective_line": "T/M BAN THƯỜNG VỤ",
                "head_title": "BÍ THƯ",
                "deputy_title": "PHÓ BÍ THƯ",
                "deputy_signs_for_head": False,
            }
        if kind == cls.Kind.FRONT:
            return {
                "name": f"Ban Thường trực Ủy ban MTTQ Việt Nam {organization.area_name}",
                "short_name": f"Ban Thường trực Ủy ban MTTQ {organization.area_name}",
                "header_parent": f"ỦY BAN MTTQ VIỆT NAM {place}",
                "header_name": "BAN THƯỜNG TRỰC",
                "symbol": "MTTQ-BTT",
                "layout": cls.Layout.STATE,
                "collective_line": "TM. BAN THƯỜNG TRỰC",
                "head_title": "CHỦ TỊCH",
                "deputy_title": "PHÓ CHỦ TỊCH",
                "deputy_signs_for_head": False,
            }
        return {"layout": cls.Layout.STATE}


class UnitGroup(models.Model):
    """A group of units that lists and statistics can gather, e.g. the residential areas
    of a former ward merged into this one."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="unit_groups",
        verbose_name=_("tổ chức"),
    )
    name = models.CharField(_("tên nhóm"), max_length=150)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["organization", "position", "name"]
        verbose_name = _("nhóm đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "nhóm đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="unit_group_name_unique_in_organization",
                violation_error_message=_("Tổ chức đã có nhóm đơn vị trùng tên."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A body of the commune that registers models: a department, a mass organisation, a
    Party cell, a school, a residential area… It may have officers of its own, or none:
    then the office enters and submits its registrations on its behalf."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Cơ quan, bộ phận chuyên môn")
        PARTY = "party", _("Tổ chức Đảng")
        PARTY_CELL = "party_cell", _("Chi bộ")
        FRONT = "front", _("Mặt trận Tổ quốc và đoàn thể")
        ARMED_FORCES = "armed_forces", _("Lực lượng vũ trang")
        RESIDENTIAL = "residential", _("Khu dân cư, thôn, tổ dân phố")
        AGENCY = "agency", _("Cơ quan, đơn vị sự nghiệp")
        SCHOOL = "school", _("Trường học")
        ASSOCIATION = "association", _("Hội, tổ chức xã hội")
        ENTERPRISE = "enterprise", _("Doanh nghiệp, hợp tác xã")
        OTHER = "other", _("Khác")

    # Other names a ward's spreadsheet may give a kind (compared without accents or case).
    KIND_SYNONYMS = {
        "residential": (
            "thôn, tổ dân phố",
            "khu dân cư",
            "thôn",
            "tổ dân phố",
            "khối phố",
            "ấp",
            "bản",
            "tdp",
        ),
        "party_cell": ("chi bộ", "chi bộ đảng"),
        "party": ("đảng ủy", "đảng bộ"),
        "agency": ("cơ quan", "đơn vị sự nghiệp"),
        "school": ("trường", "trường mầm non", "trường tiểu học", "trường thcs", "trường thpt"),
        "association": ("hội", "hội quần chúng", "câu lạc bộ"),
        "enterprise": ("doanh nghiệp", "hợp tác xã", "công ty"),
        "front": ("mặt trận", "đoàn thể", "ủy ban mttq"),
        "armed_forces": ("công an", "quân sự", "ban chỉ huy quân sự"),
    }

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="units", verbose_name=_("tổ chức")
    )
    name = models.CharField(_("tên đơn vị"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    group = models.ForeignKey(
        UnitGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("nhóm"),
        help_text=_("Ví dụ địa bàn phường cũ trước khi sáp nhập."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True, db_default=True)
    created_at = models.DateTimeField(_("tạo lúc"), db_default=Now(), editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="unit_name_unique_in_organization",
                violation_error_message=_("Tổ chức đã có đơn vị trùng tên."),
            ),
            models.UniqueConstraint(
                fields=["organization", "short_name"],
                name="unit_short_name_unique_in_organization",
                violation_error_message=_("Tổ chức đã có đơn vị trùng tên viết tắt."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "is_active", "name"])]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.group_id
            and self.organization_id
            and (self.group.organization_id != self.organization_id)
        ):
            raise ValidationError({"group": _("Nhóm không thuộc tổ chức này.")})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, username, password, **extra_fields):
        if not username:
            raise ValueError("The username must be set")
        email = self.normalize_email(extra_fields.pop("email", ""))
        user = self.model(
            username=self.model.normalize_username(username), email=email, **extra_fields
        )
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, username, password=None, **extra_fields):
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(username, password, **extra_fields)

    def create_superuser(self, username, password=None, **extra_fields):
        extra_fields["is_superuser"] = True
        return self._create_user(username, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. What they may do comes from their memberships."""

    username = models.CharField(
        _("tên đăng nhập"),
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Tối đa 150 ký tự: chữ, số và @ . + - _"),
        error_messages={"unique": _("Tên đăng nhập này đã có người dùng.")},
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("điện thoại"), max_length=30, blank=True, validators=[validate_phone]
    )
    position_title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    certificate_identity = models.CharField(
        _("mã định danh trên chứng thư số"),
        max_length=100,
        blank=True,
        help_text=_(
            "Số định danh ghi trong chứng thư số cá nhân của người ký (ví dụ “CCCD:0510…”), "
            "hoặc số hiệu (serial) của chứng thư. Để trống: so tên trên chứng thư với họ và tên."
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    date_joined = models.DateTimeField(_("ngày tạo"), db_default=Now(), editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "username"]
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("plural", "người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        # Vietnamese names end with the given name, by which people are addressed.
        return self.full_name.split()[-1] if self.full_name else self.username

    def has_perm(self, perm, obj=None) -> bool:
        """Answered by the apps' rules for everyone, superusers included: unlike
        Django's default there is no shortcut, so that a superuser may do what the rules
        say (see danvan.accounts.rules), no more."""
        return self.is_active and _user_has_perm(self, perm, obj)

    @property
    def is_staff(self) -> bool:
        """The admin's gate: superusers and the roles that run the back office."""
        from danvan.accounts.selectors import user_has_back_office

        return user_has_back_office(self)


# The roles of a province, the level above communes (the province app).
PROVINCE_ROLES = frozenset({"province_office", "province_viewer"})


class Membership(models.Model):
    """A user's role in one organisation, optionally tied to one of its units."""

    class Role(models.TextChoices):
        OFFICE = "office", _("Văn phòng – Thống kê")
        UNIT_OFFICER = "unit_officer", _("Cán bộ đơn vị")
        EVALUATOR = "evaluator", _("Thành viên đoàn kiểm tra")
        CHAIRMAN = "chairman", _("Chủ tịch")
        VICE_CHAIRMAN = "vice_chairman", _("Phó Chủ tịch")
        VIEWER = "viewer", _("Người xem")
        # Roles in a province (a body above communes): see the province app.
        PROVINCE_OFFICE = "province_office", _("Văn phòng cấp tỉnh (thi đua – khen thưởng)")
        PROVINCE_VIEWER = "province_viewer", _("Người xem cấp tỉnh")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("người dùng")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("tổ chức"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("đơn vị"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("tạo lúc"), db_default=Now(), editable=False)

    class Meta:
        ordering = ["organization", "role", "user__full_name"]
        verbose_name = _("vai trò của người dùng")
        verbose_name_plural = pgettext_lazy("plural", "vai trò của người dùng")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                name="membership_one_role_per_user_and_organization",
                violation_error_message=_("Người dùng đã có vai trò này trong tổ chức."),
            ),
            models.CheckConstraint(
                condition=~Q(role="unit_officer") | Q(unit__isnull=False),
                name="membership_unit_officer_has_unit",
                violation_error_message=_("Cán bộ đơn vị phải thuộc một đơn vị."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    @classmethod
    def role_choices_for(cls, organization) -> list[tuple[str, str]]:
        """The roles people have in ``organization``: a province's two, or a commune's."""
        above = organization is not None and organization.kind == Organization.Kind.PROVINCE
        return [
            (value, label)
            for value, label in cls.Role.choices
            if (value in PROVINCE_ROLES) == above
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.unit_id
            and self.organization_id
            and self.unit.organization_id != self.organization_id
        ):
            raise ValidationError({"unit": _("Đơn vị không thuộc tổ chức này.")})
        if (
            self.organization_id
            and self.role
            and self.role not in dict(self.role_choices_for(self.organization))
        ):
            raise ValidationError(
                {
                    "role": _("Vai trò “%(role)s” không dùng ở %(organization)s.")
                    % {"role": self.get_role_display(), "organization": self.organization.name}
                }
            )
