from django import forms

from danvan.forms import VersionedForm
from reports.models import ReviewReport


class ReviewReportForm(VersionedForm):
    """The report's texts the office edits before it is signed; the figures are filled
    from the data."""

    class Meta:
        model = ReviewReport
        fields = ["subject", "situation", "results", "shortcomings", "tasks_ahead", "recipients"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "shortcomings": forms.Textarea(attrs={"rows": 4}),
            "tasks_ahead": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }
