from django import template
from django.core.exceptions import FieldDoesNotExist

from danvan.text import thousands as thousands_text
from danvan.text import vnd as vnd_text

register = template.Library()


@register.filter
def vnd(value) -> str:
    """1234000 -> "1.234.000 đ" (Vietnamese thousands separators)."""
    if value in (None, ""):
        return "—"
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return str(value)
    return vnd_text(amount, "đ")


@register.filter
def thousands(value) -> str:
    """12000 -> "12.000"."""
    try:
        return thousands_text(int(value))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def active_switch(opts) -> str:
    """The label of a model's "in use" box (``is_active``), or "" where it has none:
    what to untick instead of deleting."""
    try:
        return opts.get_field("is_active").verbose_name
    except (AttributeError, FieldDoesNotExist):
        return ""


@register.simple_tag
def django_message(singular: str, plural: str = "", count=None, **values) -> str:
    """A message of Django's own catalogue, translated when the page is rendered.

    For the admin templates the portal overrides: written this way rather than with
    ``{% translate %}``, the message stays out of the portal's catalogue (where it would
    be filled in with its English text for Vietnamese) and Django's translation is used."""
    from django.utils.translation import gettext, ngettext

    text = ngettext(singular, plural, count) if plural else gettext(singular)
    return text % values if values else text


@register.simple_tag
def plain_field(field) -> str:
    """A text, search or number box or a select, in the markup of crispy's bootstrap5
    fields (label, ``form-control`` or ``form-select``, ``is-invalid`` with the message
    tied to the control), written directly. A filter bar's selects list every unit,
    field and campaign of the organisation, and a council's ballot holds a hundred
    number boxes a page: through the widget templates they cost more than the rest of
    their page. Any other kind of field is left to crispy."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
    from django import forms
    from django.utils.html import format_html, format_html_join

    widget = field.field.widget
    choices = getattr(field.field, "choices", None)
    is_select = type(widget) is forms.Select and not any(
        isinstance(label, list | tuple) for _value, label in choices or ()
    )
    if not (is_select or type(widget) in (forms.TextInput, forms.SearchInput, forms.NumberInput)):
        return as_crispy_field(field)
    attrs = {**widget.attrs, "name": field.html_name, "id": field.auto_id}
    attrs["class"] = " ".join(
        part
        for part in (
            attrs.get("class", ""),
            "form-select" if is_select else "form-control",
            "is-invalid" if field.errors else "",
        )
        if part
    )
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    value = field.value()
    value = "" if value is None else str(value)
    attributes = format_html_join(" ", '{}="{}"', sorted(attrs.items()))
    if is_select:
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) == value else "", label)
                for option, label in choices
            ),
        )
        control = format_html("<select {}>{}</select>", attributes, options)
    else:
        kind = getattr(widget, "input_type", "text")
        if value:
            control = format_html('<input type="{}" {} value="{}">', kind, attributes, value)
        else:
            control = format_html('<input type="{}" {}>', kind, attributes)
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    errors = (
        format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((index, field.auto_id, error) for index, error in enumerate(field.errors, 1)),
            ),
        )
        if field.errors
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        control,
        errors,
        help_text,
    )


@register.simple_tag(takes_context=True)
def page_query(context, number, param: str = "page") -> str:
    """The page's query string with ``param`` set to ``number`` ("?q=a&page=2"): the
    link to another page of one list, keeping the filters and the other lists' pages."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
