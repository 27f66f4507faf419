"""SNAP records in the admin, read-only: what a partner sent and what Tirta answered, for disputes."""

from django.contrib import admin

from billing.partners.snap.models import SnapExchange, SnapPayment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SnapExchange)
class SnapExchangeAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "partner", "service", "external_id", "http_status", "response_code"]
    list_filter = ["service", "http_status", "partner"]
    search_fields = ["external_id", "request_body"]
    list_select_related = ["partner"]


@admin.register(SnapPayment)
class SnapPaymentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "partner", "payment_request_id", "customer_no", "amount", "business_date"]
    list_filter = ["partner", "business_date"]
    search_fields = ["payment_request_id", "customer_no"]
    list_select_related = ["partner"]
