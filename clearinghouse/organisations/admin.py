from django.contrib import admin

from clearinghouse.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "acronym", "type", "country"]
    list_filter = ["type"]
    search_fields = ["name", "acronym"]
    list_select_related = ["country"]
