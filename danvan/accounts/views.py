from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from danvan.accounts import services
from danvan.accounts.forms import ProfileForm
from danvan.accounts.middleware import SESSION_KEY


@require_POST
def organization_switch(request):
    """Work in another of the user's organisations from now on."""
    try:
        wanted = int(request.POST.get("organization", ""))
    except ValueError:
        raise Http404 from None
    organization = next((o for o in request.organizations if o.pk == wanted), None)
    if organization is None:
        raise Http404
    request.session[SESSION_KEY] = organization.pk
    messages.success(request, _("Đang làm việc tại: %(name)s.") % {"name": organization.name})
    return redirect("home")


@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(actor=request.user, user=request.user, data=form.cleaned_data)
        messages.success(request, _("Đã lưu thông tin cá nhân."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
