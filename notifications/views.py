from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from danvan.pagination import BoundedPaginator
from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.messages import message
from notifications.models import Notification

PAGE_SIZE = 30


def _organization(request):
    if request.organization is None:
        raise Http404
    return request.organization


@require_http_methods(["GET"])
def notification_list(request):
    organization = _organization(request)
    notifications = selectors.notification_list(user=request.user, organization=organization)
    page = BoundedPaginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "items": [(n, message(n)) for n in page.object_list]},
    )


@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go where it points."""
    try:
        notification = selectors.notification_list(
            user=request.user, organization=_organization(request)
        ).get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.POST.get("next") == "list":
        return redirect("notifications:list")
    return redirect(notification.url)


@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(
        actor=request.user, organization=_organization(request)
    )
    messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, initial=selectors.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_save(actor=request.user, choices=form.cleaned_data)
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
