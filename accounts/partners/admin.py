"""Partners in the admin, for supervisors: registration and secret rotation go through the audited services and
show a new secret once, on a page of its own (never in a stored message)."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.partners import services
from accounts.partners.models import Partner

FIELDS = ["name", "partner_id", "company_code", "bank_name", "public_key_pem", "channel_ids", "settlement_cutoff"]


def _show_secret(request: HttpRequest, partner: Partner, label: str, secret: str) -> HttpResponse:
    context = {"partner": partner, "label": label, "secret": secret, "title": label, "opts": Partner._meta}
    response = TemplateResponse(request, "admin/accounts/partner/secret.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "partner_id", "company_code", "bank_name", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "partner_id", "company_code"]
    fields = [*FIELDS, "active", "created_at", "secrets_rotated_at"]
    readonly_fields = ["created_at", "secrets_rotated_at"]
    actions = ["rotate_client_secret", "rotate_open311_key"]

    def get_readonly_fields(self, request, obj=None):
        # The partner id is what the bank sends: changing it would silently cut the partner off.
        return [*self.readonly_fields, "partner_id"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            audit.record(request.user, "partner.change", obj, summary=", ".join(form.changed_data))
            return
        created, secret = services.register_partner(
            **{name: form.cleaned_data[name] for name in FIELDS}, actor=request.user
        )
        obj.pk = created.pk
        if not form.cleaned_data["active"]:
            services.deactivate(created, actor=request.user)
        request._partner_secret = secret

    def response_add(self, request, obj, post_url_continue=None) -> HttpResponse:
        return _show_secret(request, obj, str(_("SNAP client secret")), request._partner_secret)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Payments and exchanges point at partners; a partner leaving is deactivated instead.
        return False

    @admin.action(description=_("Rotate the SNAP client secret"), permissions=["change"])
    def rotate_client_secret(self, request, queryset) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Rotate one partner at a time."))
            return None
        partner = queryset.get()
        return _show_secret(
            request, partner, str(_("SNAP client secret")), services.rotate_client_secret(partner, actor=request.user)
        )

    @admin.action(description=_("Rotate the Open311 API key"), permissions=["change"])
    def rotate_open311_key(self, request, queryset) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Rotate one partner at a time."))
            return None
        partner = queryset.get()
        return _show_secret(
            request, partner, str(_("Open311 API key")), services.rotate_open311_key(partner, actor=request.user)
        )
