from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts.models import AccessRequest, Appointment, AppointmentLog, Invitation, User


class AppointmentInline(admin.TabularInline[Appointment, User]):
    model = Appointment
    fk_name = "user"
    extra = 0
    fields = ("role", "country", "organisation", "appointed_at", "appointed_by", "ended_at")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("appointments (change them on the Roles and appointments page)")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Profile"),
            {"fields": ("preferred_language", "organisation", "country", "languages_spoken", "expertise")},
        ),
    )
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name", "username"]
    inlines = [AppointmentInline]


@admin.register(AppointmentLog)
class AppointmentLogAdmin(admin.ModelAdmin[AppointmentLog]):
    """The history is read-only: it is written by the appointment services alone."""

    list_display = ["at", "action", "email", "role", "country", "organisation", "actor"]
    list_filter = ["action", "role"]
    search_fields = ["email"]
    date_hierarchy = "at"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = [
        "email",
        "role",
        "country",
        "organisation",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email"]
    readonly_fields = [field.name for field in Invitation._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin[AccessRequest]):
    """Read-only: requests are made, granted and declined through the services (the dashboard)."""

    list_display = ["requester", "role", "country", "organisation", "created_at", "outcome", "decided_by"]
    list_filter = ["outcome", "role"]
    search_fields = ["requester__email"]
    readonly_fields = [field.name for field in AccessRequest._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
