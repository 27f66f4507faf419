"""The customer's "this bill looks wrong" form, and the staff link from the ticket to the questioned bill."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import staff_required
from accounts.services import connections_of
from billing.disputes import DisputeError, open_dispute_of
from billing.models import Bill, BillDispute
from complaints.forms import PhotosField, photos_cleaned
from portal.bill_disputes import question_bill, staff_page_of


class QuestionBillForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What seems wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For example: the usage is twice as high as usual, or the meter reading is not mine."),
    )
    photos = PhotosField(
        label=gettext_lazy("Photo of your meter now (optional)"),
        required=False,
        help_text=gettext_lazy("A clear photo of the numbers on the meter helps us check the reading."),
    )

    def clean_photos(self) -> list:
        return photos_cleaned(self.cleaned_data.get("photos") or [], room=1)


def _customers_bill(request: HttpRequest, pk: int) -> Bill:
    """Only the holder's own bill: anyone else (staff included: they file at the counter) gets a 404."""
    bills = Bill.objects.select_related("connection__customer").filter(connection__in=connections_of(request.user))
    return get_object_or_404(bills, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, pk: int) -> HttpResponse:
    bill = _customers_bill(request, pk)
    dispute = open_dispute_of(bill)
    form = QuestionBillForm(request.POST or None, request.FILES or None)
    context = {"bill": bill, "dispute": dispute, "form": form}
    if dispute is not None or bill.status == Bill.Status.VOID:
        return render(request, "portal/question_bill.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            questioned = question_bill(
                bill, customer=request.user, reason=form.cleaned_data["reason"], photos=form.cleaned_data["photos"]
            )
        except DisputeError as error:
            form.add_error(None, str(error))
        else:
            if bill.status == Bill.Status.OPEN:
                filed = _(
                    "Thank you, we are checking your bill. Your ticket number is %(ticket)s. The late fee and "
                    "reminders wait until we have answered."
                )
            else:  # a paid bill stays paid: no late fee or reminder is coming to wait for
                filed = _("Thank you, we are checking your bill. Your ticket number is %(ticket)s.")
            messages.success(request, filed % {"ticket": questioned.complaint.ticket})
            return redirect("billing:bill", bill.pk)
    return render(request, "portal/question_bill.html", context, status=400 if form.errors else 200)


@require_GET
@staff_required
def staff_bill_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    """The ticket page links here; the staff page that answers the dispute decides who may see it."""
    dispute = get_object_or_404(BillDispute, pk=pk)
    return redirect(staff_page_of(dispute))
