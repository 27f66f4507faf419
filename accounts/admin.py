from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import second_factor
from accounts.models import (
    Area,
    AuditEntry,
    Customer,
    CustomerClass,
    Notification,
    ServiceConnection,
    UnreachableAddress,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "phone", "is_staff", "is_active"]
    search_fields = ["email", "full_name", "phone"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "phone", "language"]}),
        (_("Notifications"), {"fields": ["notify_email", "notify_sms", "notify_whatsapp"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the authenticator app (lost phone)"), permissions=["change"])
    def reset_second_factor(self, request, queryset) -> None:
        for user in queryset:
            second_factor.reset(user, actor=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d person will set up a new authenticator at their next sign-in.",
                "%(count)d people will set up a new authenticator at their next sign-in.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "code"]
    list_filter = ["level"]
    search_fields = ["name", "code"]


@admin.register(CustomerClass)
class CustomerClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email"]
    search_fields = ["name", "phone", "email"]


@admin.register(ServiceConnection)
class ServiceConnectionAdmin(admin.ModelAdmin):
    list_display = ["account_number", "customer", "customer_class", "area", "status"]
    list_filter = ["status", "customer_class"]
    search_fields = ["account_number", "meter_number", "customer__name"]
    list_select_related = ["customer", "customer_class", "area"]
    raw_id_fields = ["customer", "area"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "template", "channel", "to_address", "status", "attempts"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["to_address", "dedupe_key"]
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(UnreachableAddress)
class UnreachableAddressAdmin(admin.ModelAdmin):
    list_display = ["address", "channel", "since", "reason"]
    list_filter = ["channel"]
    search_fields = ["address"]
    readonly_fields = ["channel", "address", "reason", "notification", "since"]

    def has_add_permission(self, request) -> bool:
        return False  # recorded by the outbox from a provider's refusal; deleting one clears the mark


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_id", "summary", "client_address"]
    list_filter = ["action"]
    search_fields = ["summary", "object_id", "actor__email"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    list_select_related = ["actor"]


from accounts.partners import admin as partners_admin  # noqa: E402, F401 (registers the partners' admin)
