"""What the evaluations app shows on other apps' pages (see danvan.panels)."""

from django.template.loader import render_to_string

from evaluations.selectors import registration_rounds


def registration_results_panel(request, registration) -> str:
    """A registration's results round by round, as the user may see them."""
    rounds = registration_rounds(registration, user=request.user)
    if not rounds:
        return ""
    return render_to_string(
        "evaluations/_registration_results.html", {"evaluation_rounds": rounds}, request=request
    )
