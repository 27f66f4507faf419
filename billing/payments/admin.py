"""Payments in the admin, read-only: money moves through the services (with locks and the audit log), never
by editing a row."""

from django.contrib import admin

from billing.payments.models import CreditBalance, CreditEntry, Payment, PaymentBill, PaymentNotification, Receipt


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PaymentBillInline(admin.TabularInline):
    model = PaymentBill
    extra = 0
    can_delete = False
    readonly_fields = ["bill", "amount", "settled"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["order_id", "connection", "amount", "status", "provider", "payment_type", "created_at", "paid_at"]
    list_filter = ["status", "provider"]
    search_fields = ["order_id", "connection__account_number", "transaction_id"]
    list_select_related = ["connection"]
    inlines = [PaymentBillInline]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["number", "payment", "issued_at", "void"]
    search_fields = ["number", "payment__order_id"]
    list_select_related = ["payment"]


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "order_id", "transaction_status", "outcome", "detail", "remote_addr"]
    list_filter = ["outcome", "transaction_status"]
    search_fields = ["order_id"]


@admin.register(CreditEntry)
class CreditEntryAdmin(ReadOnlyAdmin):
    """Credit moves through billing/credit.py only (locked balance, audit log for refunds)."""

    list_display = ["connection", "created_at", "kind", "amount", "bill", "payment", "created_by"]
    list_filter = ["kind"]
    search_fields = ["connection__account_number", "payment__order_id"]
    list_select_related = ["connection", "bill", "payment", "created_by"]


@admin.register(CreditBalance)
class CreditBalanceAdmin(ReadOnlyAdmin):
    list_display = ["connection", "balance"]
    search_fields = ["connection__account_number"]
    list_select_related = ["connection"]
