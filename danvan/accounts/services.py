"""Every change to organisations, units and people goes through these functions."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.models import Membership, Organization, Unit, UnitGroup, User
from danvan.accounts.rules import SIGNING_ROLES, may_assign_role, may_manage_account
from danvan.accounts.selectors import forget_memberships, forget_second_factor, has_second_factor
from danvan.audit.services import audit_record, changes_between, snapshot
from danvan.excel import Row, choice_value, parse_bool
from danvan.models import validate_phone
from danvan.text import NameIndex, control_characters, nfc, text_key

PROFILE_FIELDS = ("full_name", "email", "phone", "position_title")
UNIT_FIELDS = ("name", "short_name", "kind", "group", "is_active")


def _require_manage(actor: User, user: User) -> None:
    """Refuse unless ``actor`` is ``user`` or may manage their account."""
    if actor.pk != user.pk and not may_manage_account(actor, user):
        raise PermissionDenied


@transaction.atomic
def user_update_profile(*, actor: User, user: User, data: dict) -> User:
    """Update a person's contact details (their own, or one the actor may manage);
    records what changed."""
    _require_manage(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(user, name, data[name])
    user.full_clean(exclude=["password"])
    user.save(update_fields=[name for name in PROFILE_FIELDS if name in data])
    changes = changes_between(before, snapshot(user, PROFILE_FIELDS))
    if changes:
        audit_record(actor=actor, action="user.update_profile", obj=user, changes=changes)
    return user


@transaction.atomic
def user_password_save(*, actor: User, user: User, action: str = "user.password_change") -> User:
    """Store the password a form has just set (hashed) on ``user``; records who did it.

    ``action`` is ``user.password_change`` (chosen by the person or set by the office or
    a superuser) or ``user.password_reset`` (chosen through an e-mailed reset link). The
    actor must be the person themself or someone who may manage their account.
    """
    _require_manage(actor, user)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action=action,
        obj=user,
        note="" if user.has_usable_password() else _("Tắt đăng nhập bằng mật khẩu."),
    )
    return user


@transaction.atomic
def units_set_active(*, actor: User, organization: Organization, units, active: bool) -> int:
    """Activate or deactivate units of one organisation; returns how many changed."""
    changed = 0
    for unit in Unit.objects.select_for_update().filter(
        organization=organization, pk__in=[u.pk for u in units]
    ):
        if unit.is_active == active:
            continue
        unit.is_active = active
        unit.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="unit.activate" if active else "unit.deactivate",
            obj=unit,
            changes={"is_active": [not active, active]},
        )
        changed += 1
    return changed


@dataclass
class ImportReport:
    """What an import did, or would do on a dry run; ``errors`` are (row number, message)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    groups_created: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: Row, message: str) -> None:
        self.errors.append((row.number, message))


class _Rollback(Exception):
    pass


def _run_import(report: ImportReport, *, dry_run: bool, apply) -> ImportReport:
    """Apply in one transaction; a dry run or any error rolls everything back."""
    try:
        with transaction.atomic():
            apply()
            if dry_run or report.errors:
                raise _Rollback
    except _Rollback:
        return report
    except IntegrityError:
        report.errors.append(
            (
                0,
                _(
                    "Dữ liệu vừa được người khác thay đổi trong lúc nhập; không có gì được lưu. Hãy thử lại."
                ),
            )
        )
        return report
    report.applied = True
    return report


def units_import(
    *, actor: User, organization: Organization, rows: list[Row], dry_run: bool
) -> ImportReport:
    """Create or update units from spreadsheet rows, matched by short name.

    All or nothing: if any row is wrong, nothing is saved and every wrong row is reported.
    """
    report = ImportReport()

    def apply():
        existing, by_name, groups = NameIndex(), {}, NameIndex()
        for unit in Unit.objects.select_for_update().filter(organization=organization):
            existing.add(unit.short_name, unit)
            by_name[text_key(unit.name)] = unit
        group_count = 0
        for group in UnitGroup.objects.select_for_update().filter(organization=organization):
            groups.add(group.name, group)
            group_count += 1
        seen_short: dict[str, int] = {}
        seen_name: dict[str, int] = {}
        for row in rows:
            name, short_name = nfc(row["name"]).strip(), nfc(row["short_name"]).strip()
            kind = choice_value(row["kind"], Unit.Kind.choices, Unit.KIND_SYNONYMS)
            group_name = " ".join(nfc(row["group"]).split())
            active = parse_bool(row["is_active"], default=True)
            problems = _text_problems(Unit, {"name": name, "short_name": short_name})
            problems += _text_problems(UnitGroup, {"name": group_name})
            if not name:
                problems.append(_("thiếu tên đơn vị"))
            if not short_name:
                problems.append(_("thiếu tên viết tắt"))
            if kind is None:
                problems.append(
                    _("loại đơn vị “%(value)s” không có; chọn một trong: %(choices)s")
                    % {
                        "value": row["kind"],
                        "choices": ", ".join(str(label) for _v, label in Unit.Kind.choices),
                    }
                )
            if active is None:
                problems.append(_("cột “Đang hoạt động” phải là “có” hoặc “không”"))
            key_short, key_name = text_key(short_name), text_key(name)
            if key_short and key_short in seen_short:
                problems.append(
                    _("tên viết tắt trùng với dòng %(row)s") % {"row": seen_short[key_short]}
                )
            if key_name and key_name in seen_name:
                problems.append(
                    _("tên đơn vị trùng với dòng %(row)s") % {"row": seen_name[key_name]}
                )
            unit = existing.get(short_name)
            if alike := existing.alike(short_name):
                problems.append(_alike_problem(short_name, alike))
            other = by_name.get(key_name)
            if other is not None and other is not unit:
                problems.append(
                    _("tên đơn vị đã dùng cho đơn vị “%(short)s”") % {"short": other.short_name}
                )
            seen_short.setdefault(key_short, row.number)
            seen_name.setdefault(key_name, row.number)
            if problems:
                report.error(row, "; ".join(problems))
                continue
            group = groups.get(group_name) if group_name else None
            if group_name and group is None:
                group_count += 1
                group = UnitGroup.objects.create(
                    organization=organization, name=group_name, position=group_count
                )
                groups.add(group_name, group)
                audit_record(
                    actor=actor,
                    action="unitgroup.create",
                    obj=group,
                    changes=_created({"name": group_name}),
                )
                report.groups_created.append(group_name)
            values = {
                "name": name,
                "short_name": short_name,
                "kind": kind,
                "group": group,
                "is_active": active,
            }
            if unit is None:
                unit = Unit(organization=organization, **values)
                unit.save()
                audit_record(
                    actor=actor,
                    action="unit.create",
                    obj=unit,
                    changes=_created({**values, "group": group_name or None}),
                )
                report.created.append(short_name)
                continue
            before = snapshot(unit, UNIT_FIELDS)
            for key, value in values.items():
                setattr(unit, key, value)
            changes = changes_between(before, snapshot(unit, UNIT_FIELDS))
            if not changes:
                report.unchanged.append(short_name)
                continue
            unit.save(update_fields=list(changes))
            audit_record(actor=actor, action="unit.update", obj=unit, changes=changes)
            report.updated.append(short_name)
        if not dry_run and not report.errors:
            audit_record(
                actor=actor,
                action="unit.import",
                organization=organization,
                note=_("Nhập %(created)s mới, cập nhật %(updated)s đơn vị từ Excel.")
                % {"created": len(report.created), "updated": len(report.updated)},
            )

    return _run_import(report, dry_run=dry_run, apply=apply)


def _alike_problem(text: str, units: list[Unit]) -> str:
    """What to say of a unit written without (or with other) accents that could be
    any of ``units``."""
    return _("“%(value)s” giống nhiều đơn vị khi bỏ dấu (%(units)s); hãy ghi đúng dấu") % {
        "value": text,
        "units": "; ".join(f"{unit.name} – {unit.short_name}" for unit in units),
    }


def _text_problems(model, values: dict[str, str]) -> list[str]:
    """What keeps imported texts out of ``model``'s columns: too long for the column (a
    database error otherwise), or holding control characters, which forms refuse too."""
    problems = []
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.max_length and len(value) > field.max_length:
            problems.append(
                _("%(field)s dài quá %(limit)s ký tự (có %(length)s)")
                % {"field": field.verbose_name, "limit": field.max_length, "length": len(value)}
            )
        found = control_characters(value)
        if found:
            problems.append(
                _("%(field)s có ký tự điều khiển không in được (%(codes)s)")
                % {
                    "field": field.verbose_name,
                    "codes": ", ".join(f"U+{ord(ch):04X}" for ch in found),
                }
            )
    return problems


def _created(values: dict) -> dict:
    return {key: [None, value] for key, value in values.items()}


def users_import(
    *,
    actor: User,
    organization: Organization,
    rows: list[Row],
    dry_run: bool,
    send_invitations: bool = False,
) -> ImportReport:
    """Create or update people and give them roles in the organisation.

    One row per role: a person with two roles has two rows. Roles not in the file are
    kept. New accounts get no password; with ``send_invitations`` each new person with an
    e-mail receives a link to set one, after the import is saved. Rows about an account
    the actor may not manage (``may_manage_account``: a chairman, a vice-chairman, a
    superuser, someone who also belongs to another organisation) are refused unless they
    change nothing, so an exported file can be imported back. An existing account with no
    role in the organisation gets, for anyone but a superuser, only the message a taken
    username gets anywhere, whether it belongs to another organisation, a superuser or
    nobody: the import reveals nothing about it. Only a superuser grants the chairman's
    or a vice-chairman's role. All or nothing, like ``units_import``.
    """
    report = ImportReport()
    invited: list[User] = []

    def apply():
        units = NameIndex()
        for unit in Unit.objects.filter(organization=organization):
            units.add(unit.short_name, unit)
            units.add(unit.name, unit)
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            groups[row["username"].strip()].append(row)
        # Usernames are told apart regardless of case, as the back office's forms do:
        # "Tuan" is not a new account beside "tuan", nor are two rows "An" and "an".
        found = list(
            User.objects.select_for_update()
            .annotate(lowered=Lower("username"))
            .filter(lowered__in={username.lower() for username in groups})
        )
        existing = {u.username: u for u in found}
        spelled = {u.username.lower() for u in found}
        prefetch_related_objects(found, "memberships")
        first_spelling: dict[str, str] = {}
        for username, group in groups.items():
            user = existing.get(username)
            spelling = first_spelling.setdefault(username.lower(), username)
            case_variant = spelling != username or (user is None and username.lower() in spelled)
            if case_variant:
                user = None
            held = (
                {m.role: m for m in user.memberships.all() if m.organization_id == organization.pk}
                if user is not None
                else {}
            )
            protected = user is not None and not may_manage_account(actor, user)
            plan = _plan_person(
                username,
                group,
                units=units,
                held=held,
                foreign=case_variant or (user is not None and not held and not actor.is_superuser),
                actor=actor,
                report=report,
                role_choices=Membership.role_choices_for(organization),
            )
            if plan is None:
                continue
            person, active, roles = plan
            if protected and _would_change(user, person, active, roles, held):
                report.error(
                    group[0],
                    _(
                        "chỉ quản trị hệ thống mới thay đổi được tài khoản “%(value)s” "
                        "(Chủ tịch, Phó Chủ tịch hoặc người có vai trò ở tổ chức khác)"
                    )
                    % {"value": username},
                )
                continue
            outcome = _save_person(
                actor=actor,
                organization=organization,
                user=user,
                username=username,
                person=person,
                active=active,
                roles=roles,
            )
            getattr(report, outcome[0]).append(username)
            if outcome[0] == "created" and person["email"]:
                invited.append(outcome[1])
        if not dry_run and not report.errors:
            audit_record(
                actor=actor,
                action="user.import",
                organization=organization,
                note=_("Nhập %(created)s người dùng mới, cập nhật %(updated)s người dùng từ Excel.")
                % {"created": len(report.created), "updated": len(report.updated)},
            )
            if send_invitations and invited:
                transaction.on_commit(lambda: [user_send_password_link(user=u) for u in invited])

    return _run_import(report, dry_run=dry_run, apply=apply)


def _would_change(user: User, person: dict, active: bool, roles, held: dict) -> bool:
    """Whether saving this row would change the account or its roles here."""
    if any(getattr(user, key) != value for key, value in person.items()):
        return True
    if user.is_active != active:
        return True
    return any(
        role not in held or held[role].unit_id != (unit.pk if unit else None)
        for role, unit in roles
    )


def _person_of(row: Row) -> dict:
    return {
        "full_name": nfc(row["full_name"]).strip(),
        "email": row["email"].strip(),
        "phone": row["phone"].strip(),
        "position_title": nfc(row["position_title"]).strip(),
    }


def _plan_person(username, group, *, units, held, foreign, actor, report, role_choices):
    """Validate one person's rows; report every problem by row; None if any."""
    first = group[0]
    person = _person_of(first)
    active = parse_bool(first["is_active"], default=True)
    problems: dict[int, list[str]] = defaultdict(list)
    try:
        if not username:
            raise ValidationError("empty")
        User._meta.get_field("username").run_validators(username)
    except ValidationError:
        problems[first.number].append(
            _("tên đăng nhập “%(value)s” không hợp lệ (tối đa 150 ký tự: chữ, số và @ . + - _)")
            % {"value": username}
        )
    if foreign:
        # Word for word what the back office's "add user" form says of a taken username.
        problems[first.number].append(
            str(User._meta.get_field("username").error_messages["unique"])
        )
    problems[first.number].extend(_text_problems(User, person))
    if not person["full_name"]:
        problems[first.number].append(_("thiếu họ và tên"))
    if person["email"]:
        try:
            validate_email(person["email"])
        except ValidationError:
            problems[first.number].append(
                _("e-mail “%(value)s” không hợp lệ") % {"value": person["email"]}
            )
    if person["phone"]:
        try:
            validate_phone(person["phone"])
        except ValidationError as error:
            problems[first.number].append(
                _("điện thoại “%(value)s”: %(problem)s")
                % {"value": person["phone"], "problem": " ".join(error.messages)}
            )
    if active is None:
        problems[first.number].append(_("cột “Đang hoạt động” phải là “có” hoặc “không”"))
    roles = []
    for row in group:
        here = problems[row.number]
        if row is not first and _person_of(row) != person:
            here.append(_("thông tin người dùng khác với dòng %(row)s") % {"row": first.number})
        role = choice_value(row["role"], role_choices)
        unit_text = row["unit"].strip()
        unit = units.get(unit_text) if unit_text else None
        if role is None:
            here.append(
                _("vai trò “%(value)s” không có; chọn một trong: %(choices)s")
                % {
                    "value": row["role"],
                    "choices": ", ".join(str(label) for _v, label in role_choices),
                }
            )
        elif role in {r for r, _u in roles}:
            here.append(_("vai trò bị lặp lại cho cùng người dùng"))
        elif role not in held and not may_assign_role(actor, role):
            here.append(_("chỉ quản trị hệ thống mới gán được vai trò Chủ tịch, Phó Chủ tịch"))
        if unit_text and unit is None:
            if alike := units.alike(unit_text):
                here.append(_alike_problem(unit_text, alike))
            else:
                here.append(_("không có đơn vị “%(unit)s” trong tổ chức") % {"unit": unit_text})
        if role == Membership.Role.UNIT_OFFICER and not unit_text:
            here.append(_("cán bộ đơn vị phải ghi đơn vị"))
        if role is not None:
            roles.append((role, unit))
    failed = False
    for number in sorted(problems):
        if problems[number]:
            report.errors.append((number, "; ".join(problems[number])))
            failed = True
    return None if failed else (person, active, roles)


def _save_person(*, actor, organization, user, username, person, active, roles):
    """Write one validated person; returns (report list name, user)."""
    changed = False
    if user is None:
        user = User.objects.create_user(
            username=username, password=None, is_active=active, **person
        )
        audit_record(
            actor=actor,
            action="user.create",
            obj=user,
            organization=organization,
            changes=_created({"username": username, **person}),
        )
        outcome = "created"
    else:
        fields = (*PROFILE_FIELDS, "is_active")
        before = snapshot(user, fields)
        for key, value in person.items():
            setattr(user, key, value)
        user.is_active = active
        changes = changes_between(before, snapshot(user, fields))
        if changes:
            user.save(update_fields=list(changes))
            audit_record(
                actor=actor,
                action="user.update",
                obj=user,
                organization=organization,
                changes=changes,
            )
        changed = bool(changes)
        outcome = None
    held = {m.role: m for m in Membership.objects.filter(user=user, organization=organization)}
    for role, unit in roles:
        membership = held.get(role)
        if membership is None:
            membership_grant(
                actor=actor, user=user, organization=organization, role=role, unit=unit
            )
            changed = True
        elif membership.unit_id != (unit.pk if unit else None):
            membership_change_unit(actor=actor, membership=membership, unit=unit)
            changed = True
    return (outcome or ("updated" if changed else "unchanged"), user)


def _require_membership_rights(actor, user: User, role: str) -> None:
    if not may_manage_account(actor, user) or not may_assign_role(actor, role):
        raise PermissionDenied


def membership_grant(
    *, actor, user: User, organization: Organization, role: str, unit=None
) -> Membership:
    """Give ``user`` a role in ``organization``; only for an actor who may manage the
    account, and the signers' roles only by a superuser."""
    _require_membership_rights(actor, user, role)
    was_signer = holds_signing_role(user)
    membership = Membership(user=user, organization=organization, role=role, unit=unit)
    membership.full_clean()
    membership.save()
    forget_memberships(user)
    if role in SIGNING_ROLES and not was_signer and user.pk != actor.pk:
        signer_account_secure(actor=actor, user=user)
    audit_record(
        actor=actor,
        action="membership.create",
        obj=membership,
        changes=_created({"user": str(user), "role": role, "unit": str(unit) if unit else None}),
    )
    return membership


def holds_signing_role(user: User) -> bool:
    return Membership.objects.filter(user=user, role__in=SIGNING_ROLES).exists()


@transaction.atomic
def signer_account_secure(*, actor, user: User) -> None:
    """A person just given the chairman's or a vice-chairman's role, on an account that
    already existed, starts from an account only they will hold: whoever made it (an
    office, say) may know its password and have enrolled a phone of their own. The
    password is made unusable, its e-mail address cleared, every second-factor device
    removed and every session ended (the password's hash changes). The superuser then
    sets a first password and enters the signer's own address."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_unusable_password()
    # Whoever set the account up may read its mailbox ("Quên mật khẩu" writes there): the
    # superuser enters the signer's own address.
    cleared = user.email
    user.email = ""
    user.save(update_fields=["password", "email"])
    removed = _remove_devices(user)
    audit_record(
        actor=actor,
        action="user.signer_secure",
        obj=user,
        note=_("Nhận vai trò ký: hủy mật khẩu cũ và %(count)s thiết bị xác thực.")
        % {"count": removed},
        changes={"email": [cleared, ""]} if cleared else None,
    )


def membership_change_unit(*, actor, membership: Membership, unit) -> Membership:
    _require_membership_rights(actor, membership.user, membership.role)
    before = str(membership.unit) if membership.unit else None
    membership.unit = unit
    membership.full_clean()
    membership.save(update_fields=["unit"])
    forget_memberships(membership.user)
    audit_record(
        actor=actor,
        action="membership.update",
        obj=membership,
        changes={"unit": [before, str(unit) if unit else None]},
    )
    return membership


def user_send_password_link(*, user: User) -> None:
    """E-mail a new person the link to choose their password (the reset link, worded as a welcome)."""
    from danvan.mail import send_templated_mail

    send_templated_mail(
        to=[user.email],
        subject_template="registration/invitation_subject.txt",
        body_template="registration/invitation_email.txt",
        context={
            "user": user,
            "reset_path": password_reset_path(user),
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


def password_reset_path(user: User) -> str:
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


# Second factor ---------------------------------------------------------------------

BACKUP_CODE_COUNT = 10


def _new_backup_codes(user: User) -> list[str]:
    """Replace the user's backup codes with ten new ones; returns them (shown once)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Mã dự phòng"), confirmed=True)
    codes = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_enrol(*, user: User, key: str, last_t: int):
    """Give ``user`` a confirmed authenticator app with the hex ``key`` whose code for
    time step ``last_t`` they have just typed (so that code cannot be used again), in
    place of any earlier one, and ten new backup codes. Returns (device, codes)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=_("Ứng dụng xác thực"), key=key, confirmed=True, last_t=last_t
    )
    codes = _new_backup_codes(user)
    forget_second_factor(user)
    audit_record(actor=user, action="user.otp_enrol", obj=user)
    return device, codes


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """Ten new backup codes for an enrolled user; the old ones stop working."""
    if not has_second_factor(user):
        raise ValidationError(_("Hãy thiết lập xác thực hai bước trước."))
    codes = _new_backup_codes(user)
    audit_record(actor=user, action="user.otp_backup_codes", obj=user)
    return codes


def _remove_devices(user: User) -> int:
    """Remove every second-factor device of ``user`` (app and backup codes); returns how many."""
    from django_otp import devices_for_user

    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    forget_second_factor(user)
    return removed


@transaction.atomic
def second_factor_reset(*, actor: User | None, user: User) -> int:
    """Remove every second-factor device of ``user`` (a lost phone); they enrol again at
    their next sign-in. Only a superuser may do it; ``actor`` None is the server's own
    command line. Returns how many devices were removed."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied
    removed = _remove_devices(user)
    audit_record(
        actor=actor,
        action="user.otp_reset",
        obj=user,
        note=_("Xóa %(count)s thiết bị xác thực.") % {"count": removed},
    )
    return removed


def second_factor_verify(*, user: User, token: str):
    """Check a code from the authenticator app (six digits) or a backup code; returns
    the device that accepted it. A wrong code counts towards django-otp's throttling
    (each failure doubles the wait before the next try) and is audited; a backup code
    works once. Raises ValidationError with the reason otherwise."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = "".join(token.split()).replace("-", "").lower()
    is_app_code = token.isdigit() and len(token) == 6
    model = TOTPDevice if is_app_code else StaticDevice
    wrong = _("Mã xác thực không đúng hoặc đã hết hạn.")
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-pk")
            .first()
        )
        if device is None:
            refusal = wrong
        else:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                wait = max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)
                refusal = _("Bạn đã nhập sai nhiều lần. Hãy chờ %(seconds)s giây rồi thử lại.") % {
                    "seconds": wait
                }
            elif device.verify_token(token):
                return device
            else:
                refusal = wrong
        audit_record(
            actor=user,
            action="user.otp_failure",
            obj=user,
            note=(_("Mã từ ứng dụng xác thực") if is_app_code else _("Mã dự phòng"))
            + ": "
            + refusal,
        )
    raise ValidationError(refusal)
