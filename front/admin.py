from django.contrib import admin

from .models import NoResultTopic, SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["terms", "updated_at"]
    search_fields = ["terms"]
    fields = ["terms"]


@admin.register(NoResultTopic)
class NoResultTopicAdmin(admin.ModelAdmin):
    list_display = ["page", "position"]
    list_editable = ["position"]
    fields = ["page", "position"]
