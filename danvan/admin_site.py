from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.accounts.rules import is_back_office, is_office
from danvan.accounts.second_factor import redirect_to_second_factor, verification_missing
from danvan.admin_deletion import deletion_refusal
from danvan.db.expressions import bigint
from danvan.forms import MoneyField, MoneyInput, PortalModelForm, show_service_error


class PortalAdminSite(admin.AdminSite):
    """The back office. Office staff, chairman and vice-chairmen reach it for the
    organisation they are working in; superusers for every organisation. Every page of
    it needs a session verified by the second factor (see ``second_factor``)."""

    site_header = _("Dân vận khéo – Quản trị")
    site_title = _("Dân vận khéo")
    index_title = _("Quản trị hệ thống")
    enable_nav_sidebar = True

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every list of the back office, the installed apps' included, refuses a forged
        selection of rows (``SafeActionsAdmin``)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeActionsAdmin):
            admin_class = type(admin_class.__name__, (SafeActionsAdmin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        return is_back_office.test(user, getattr(request, "organization", None))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def gate(request, *args, **kwargs):
            # The portal has one login page; a logged-in user without back-office rights
            # gets a plain "forbidden" instead of a second login form.
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not self.has_permission(request):
                raise PermissionDenied
            if verification_missing(request):
                return redirect_to_second_factor(request)
            return inner(request, *args, **kwargs)

        return gate

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(target, settings.LOGIN_URL)
        if not self.has_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(target)

    @property
    def password_change_form(self):
        # The back office's own "change my password" page is audited like the portal's.
        from danvan.accounts.forms import OwnPasswordChangeForm

        return OwnPasswordChangeForm


def scope_foreign_key(db_field, request, kwargs) -> None:
    """Offer only the current organisation's rows in a foreign-key field (not for superusers).

    Without it a crafted form could point at another organisation's unit or person.
    """
    if request.user.is_superuser:
        return
    from danvan.accounts.models import Membership, Organization, User

    related = db_field.related_model
    organization = request.organization
    if related is Organization:
        # The one choice is preselected, and the form still validates uniqueness per organisation.
        kwargs["queryset"] = Organization.objects.filter(pk=getattr(organization, "pk", None))
        kwargs["empty_label"] = None
    elif related is User:
        kwargs["queryset"] = User.objects.filter(
            pk__in=Membership.objects.filter(organization=organization).values("user_id")
        )
    elif any(f.name == "organization" for f in related._meta.get_fields()):
        kwargs["queryset"] = related._default_manager.filter(organization=organization)


def filter_organization_id(request) -> int | None:
    """The organisation whose rows an admin list's filters offer: the one the user works
    in; for a superuser, the one chosen in the list's organisation filter, if any."""
    if request.user.is_superuser:
        chosen = request.GET.get("organization__id__exact", "")
        if chosen.isdigit():
            return int(chosen)
    return getattr(request.organization, "pk", None)


class ScopedRelatedListFilter(admin.RelatedFieldListFilter):
    """A filter on a related row that offers only the current organisation's rows.

    Django's own lists every row of the related table, and counts each (facets) in one
    query of as many columns: another organisation's units and campaigns would show,
    and with a few hundred organisations PostgreSQL refuses the query (at most 1,664
    columns). Reference data shared by every organisation (fields, award forms) has no
    organisation and is listed whole: it is small and the same for all.
    """

    def field_choices(self, field, request, model_admin):
        from danvan.accounts.models import Membership, Organization, User

        related = field.related_model
        organization_id = filter_organization_id(request)
        if related is Organization:
            limit = {"pk": organization_id}
        elif related is User:
            limit = {
                "pk__in": Membership.objects.filter(organization_id=organization_id).values(
                    "user_id"
                )
            }
        elif any(f.name == "organization" for f in related._meta.get_fields()):
            limit = {"organization_id": organization_id}
        else:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=limit, ordering=ordering)


class OrganizationListFilter(admin.RelatedFieldListFilter):
    """The superusers' choice of organisation: every one, without counts (thousands of
    organisations would make a facet query of thousands of columns)."""

    def choices(self, changelist):
        add_facets = changelist.add_facets
        changelist.add_facets = False
        try:
            yield from super().choices(changelist)
        finally:
            changelist.add_facets = add_facets


def scoped_list_filters(model, filters, request) -> list:
    """``list_filter`` with every plain related-field filter replaced by the scoped one."""
    from django.contrib.admin.utils import get_fields_from_path

    scoped = []
    for item in filters:
        if isinstance(item, str):
            last = get_fields_from_path(model, item)[-1]
            if last.is_relation and last.many_to_one:
                item = (item, ScopedRelatedListFilter)
        scoped.append(item)
    return scoped


def changes_from_form(form) -> dict:
    from danvan.audit.services import _plain

    changes = {}
    for name in form.changed_data:
        if "password" in name:
            continue  # never write secrets, even hashed, into the audit trail
        before = form.initial.get(name)
        after = form.cleaned_data.get(name)
        changes[name] = [_plain(before), _plain(after)]
    return changes


class SafeActionsAdmin(admin.ModelAdmin):
    """An action posted with selected rows that are no row identifiers (a garbled or
    forged form: "abc", a number past the column's range) is refused with a message and
    the list shown again, instead of failing in the database."""

    def response_action(self, request, queryset, **kwargs):
        pk = self.model._meta.pk
        low, high = connection.ops.integer_field_range(pk.get_internal_type()) or (None, None)
        try:
            for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
                number = pk.to_python(value)
                if isinstance(number, int) and (
                    (low is not None and number < low) or (high is not None and number > high)
                ):
                    raise ValidationError("out of range")
        except ValidationError:
            self.message_user(
                request,
                _("Các dòng đã chọn không hợp lệ; hãy tải lại trang và chọn lại."),
                messages.WARNING,
            )
            return None
        return super().response_action(request, queryset, **kwargs)

    def action_checkbox(self, obj):
        """Django's checkbox of a row, written directly: through the widget's template it
        took about 0.15 ms a row (a hundred rows: 15 ms, now 2 ms)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )


class MoneyFieldsAdmin(SafeActionsAdmin):
    """Columns of amounts in đồng (named ``*_vnd``) are typed and shown as Vietnamese
    write money ("20.000.000"), in a text box: never the admin's number box, which
    reads "20.000.000" as 20."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name.endswith("_vnd"):
            kwargs.update(form_class=MoneyField, widget=MoneyInput)
            return db_field.formfield(**kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class OrganizationScopedAdmin(MoneyFieldsAdmin):
    """An admin whose rows belong to organisations.

    Superusers see every organisation. Everyone else sees only the organisation they are
    working in, reached through ``organization_path``; whoever passes ``view_rule`` may
    look and ``edit_rule`` may add, change and delete (rules predicates on the current
    organisation, see danvan.accounts.rules). Saves and deletions are audited.
    """

    form = PortalModelForm
    organization_path = "organization"
    view_rule = is_back_office
    edit_rule = is_office
    audit_name = ""
    delete_confirmation_template = "admin/portal/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/portal/delete_selected_confirmation.html"

    # Scope -------------------------------------------------------------------
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        if request.organization is None:
            return queryset.none()
        # Typed as the column is (see danvan.db.expressions.bigint): the organisation's
        # part of a composite GIN index stays usable, e.g. in the registrations' search.
        return queryset.filter(**{self.organization_path: bigint(request.organization.pk)})

    def _in_scope(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        organization = obj
        for part in self.organization_path.split("__"):
            organization = getattr(organization, part)
        return request.organization is not None and organization.pk == request.organization.pk

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another organisation's record, or none at all: the same plain 404 either way.
        raise Http404

    def _passes(self, request, rule) -> bool:
        return rule.test(request.user, request.organization)

    def has_module_permission(self, request):
        return self._passes(request, self.view_rule)

    def has_view_permission(self, request, obj=None):
        return self._passes(request, self.view_rule | self.edit_rule) and self._in_scope(
            request, obj
        )

    def has_add_permission(self, request):
        return self._passes(request, self.edit_rule)

    def has_change_permission(self, request, obj=None):
        return self._passes(request, self.edit_rule) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._passes(request, self.edit_rule) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope_foreign_key(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        """Filters list only the organisation's rows (``ScopedRelatedListFilter``);
        superusers first choose the organisation."""
        filters = scoped_list_filters(self.model, super().get_list_filter(request), request)
        if request.user.is_superuser and self.organization_path in (
            "organization",
            "memberships__organization",  # people, by the organisation they work in
        ):
            filters.insert(0, (self.organization_path, OrganizationListFilter))
        return filters

    # Audit -------------------------------------------------------------------
    def _audit_name(self) -> str:
        return self.audit_name or self.model._meta.model_name

    def save_model(self, request, obj, form, change):
        from danvan.audit.services import audit_record

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=f"{self._audit_name()}.{'update' if change else 'create'}",
                obj=obj,
                # A person added by an office belongs to it before any role is saved.
                organization=None
                if request.user.is_superuser
                else getattr(request, "organization", None),
                changes=changes_from_form(form),
            )

    def _organization_of(self, obj):
        for part in self.organization_path.split("__"):
            obj = getattr(obj, part) if part != "pk" else obj
        return obj

    def save_formset(self, request, form, formset, change):
        """Inline rows are saved and audited one by one, like the main object."""
        from danvan.audit.services import audit_record

        organization = self._organization_of(form.instance)
        forms_by_instance = {id(inline.instance): inline for inline in formset.forms}
        with transaction.atomic():
            formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit_record(
                    actor=request.user,
                    action=f"{obj._meta.model_name}.delete",
                    obj=obj,
                    organization=organization,
                )
                obj.delete()
            changed = [obj for obj, _fields in formset.changed_objects]
            for obj in [*formset.new_objects, *changed]:
                created = obj.pk is None
                obj.save()
                audit_record(
                    actor=request.user,
                    action=f"{obj._meta.model_name}.{'create' if created else 'update'}",
                    obj=obj,
                    organization=organization,
                    changes=changes_from_form(forms_by_instance[id(obj)]),
                )
            formset.save_m2m()

    def get_deleted_objects(self, objs, request):
        """Refused from the rows that point straight at ``objs`` when those are enough
        (``danvan.admin_deletion``), not after collecting every row they reach."""
        refusal = deletion_refusal(objs, request, self.admin_site)
        if refusal is not None:
            return refusal.as_admin_answer()
        return super().get_deleted_objects(objs, request)

    def delete_model(self, request, obj):
        from danvan.audit.services import audit_record

        with transaction.atomic():
            audit_record(actor=request.user, action=f"{self._audit_name()}.delete", obj=obj)
            super().log_deletions(request, [obj])
            super().delete_model(request, obj)

    def log_deletions(self, request, queryset):
        """Django's bulk delete writes its history before ``delete_queryset``; the entries
        are written there instead, in its transaction, so a refused deletion leaves no
        entry claiming it happened."""

    def delete_queryset(self, request, queryset):
        from danvan.audit.services import audit_record

        with transaction.atomic():
            for obj in queryset:
                if not self.has_delete_permission(request, obj):
                    raise PermissionDenied
                audit_record(actor=request.user, action=f"{self._audit_name()}.delete", obj=obj)
            super().log_deletions(request, queryset)
            super().delete_queryset(request, queryset)


class ScopedInlineMixin:
    """Inline rows follow their parent's rights: whoever may edit the parent (its
    organisation's office staff, or a superuser) may edit its rows."""

    form = PortalModelForm
    edit_rule = is_office

    def _may_edit(self, request) -> bool:
        return self.edit_rule.test(request.user, request.organization)

    def has_view_permission(self, request, obj=None):
        return is_back_office.test(request.user, request.organization)

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope_foreign_key(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def run_for_each(modeladmin, request, objects, call, done_message: str) -> int:
    """Run ``call(obj)`` (a service) for each selected object, as an admin action does:
    what a service refuses is reported per object; the count that went through is
    reported once. Returns that count."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    done = 0
    for obj in objects:
        try:
            call(obj)
        except PermissionDenied:
            modeladmin.message_user(
                request, f"{obj}: {gettext('Bạn không có quyền.')}", messages.ERROR
            )
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    return done


class ServiceWriteAdmin(OrganizationScopedAdmin):
    """An admin whose changes go through the app's services, as the portal's do: with
    their checks, locks, version and audit, never a bare ``Model.save()``.

    Subclasses implement ``service_save(request, obj, form, change)`` (and
    ``service_save_inline`` / ``service_delete_inline`` for inline rows). The form carries
    the version the user started from; a service's ``ValidationError`` (a stale edit, a
    refused value) shows on the form, which keeps what was typed, and nothing is saved.
    """

    def service_save(self, request, obj, form, change):  # pragma: no cover - per admin
        raise NotImplementedError

    def service_save_inline(self, request, obj, form):  # pragma: no cover - per admin
        raise NotImplementedError

    def service_delete_inline(self, request, obj):  # pragma: no cover - per admin
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_service_errors(
            super().get_form(request, obj, change=change, **kwargs), request
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        kwargs.setdefault("form_kwargs", {})["request"] = request
        return kwargs

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # Nothing was saved; show the form again, as posted, with the service's reason.
            request.service_error = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        self.service_save(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            self.service_delete_inline(request, obj)
        changed = {id(obj) for obj, _fields in formset.changed_objects}
        new = {id(obj) for obj in formset.new_objects}
        for inline_form in formset.forms:
            obj = inline_form.instance
            if id(obj) not in changed | new:
                continue
            try:
                self.service_save_inline(request, obj, inline_form)
            except ValidationError as error:
                # Shown at the top of the page, naming the row it is about.
                raise ValidationError(
                    [f"{obj._meta.verbose_name} “{obj}”: {message}" for message in error.messages]
                ) from error

    def delete_model(self, request, obj):  # pragma: no cover - the subclasses forbid it
        raise PermissionDenied

    def delete_queryset(self, request, queryset):  # pragma: no cover - as above
        raise PermissionDenied


class VersionedAdminForm(PortalModelForm):
    """An admin form that carries the row's version and shows a service's refusal."""

    # Not "version": the model's own (non-editable) field has that name.
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request or getattr(self, "request", None)
        if self.instance.pk and not self.is_bound and hasattr(self.instance, "version"):
            self.initial["row_version"] = self.instance.version

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("row_version")

    def changed_values(self) -> dict:
        """What the user changed, for the service."""
        return {
            name: self.cleaned_data[name] for name in self.changed_data if name != "row_version"
        }

    def _post_clean(self):
        super()._post_clean()
        error = getattr(self.request, "service_error", None)
        if error is not None and self.prefix is None:  # the main form, not an inline row
            show_service_error(self, error)


def _with_service_errors(form_class, request):
    """The admin's form class, with the request it needs to show a service's refusal."""
    return type(form_class.__name__, (form_class,), {"request": request})
