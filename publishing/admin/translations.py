"""Translations in the admin: start one for any translatable page, edit it beside its
English source, and send it through clinical review like any page.

The form shows each text of the source in English beside a field for its translation. It
carries, signed, which revision of the source the translator saw and its words then; saving
records them, so the translation knows when the English changes afterwards. When it has, the
form marks each text that changed, with what changed, and the translator says when the
translation is brought up to date; until then it stays marked out of date.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.history import word_diff
from articles.models import Article
from articles.rendering import image_problem, render_markdown, swallowing_html
from articles.voice import unclosed_marks
from clinic.models import ClinicSettings
from glossary.models import GlossaryEntry
from references.citations import cited_keys
from topics.models import TopicPage
from translations.models import Translation, other_languages
from translations.spec import LONG, MARKDOWN, changed_places, places, source_words, translatable

from ..translating import load_source, place_label, source_state
from .forms import RevisionedForm
from .pages import RevisionedPage

SIGNING_SALT = "publishing.translation-source"
SOURCE_MODELS = [Article, TopicPage, GlossaryEntry, ClinicSettings]
SOURCE_KINDS = {
    Article: gettext_lazy("Article"),
    TopicPage: gettext_lazy("Topic page"),
    GlossaryEntry: gettext_lazy("Glossary entry"),
    ClinicSettings: gettext_lazy("Clinic texts"),
}


# The source as the translator sees it -----------------------------------------------------


def source_name(source):
    if isinstance(source, ClinicSettings):
        return _("The clinic's texts (home page, crisis strip and message, disclaimer)")
    return f"{SOURCE_KINDS[type(source)]}: {source}"


def source_admin_url(source):
    opts = source._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[source.pk])


def _field_name(place):
    relation, pk, name = place
    return f"t__{relation}__{pk}__{name}" if pk else f"t__{relation}__{name}"


def _place_of(field_name):
    parts = field_name.split("__")[1:]
    return (parts[0], "", parts[1]) if len(parts) == 2 else tuple(parts)


def _markdown_problem(text):
    swallowing = swallowing_html(text)
    if swallowing:
        line, tag = swallowing[0]
        return _(
            "Line %(line)s: <%(tag)s> cannot be used here, and everything after it would be "
            "hidden from readers. Remove it, or put it in `backticks` to show it as text."
        ) % {"line": line, "tag": tag}
    problem = image_problem(text)
    if problem:
        return problem
    unclosed = unclosed_marks(text)
    if unclosed:
        return _(
            "Close each {{ with }} in the same paragraph, as the English does. Check the "
            "paragraph starting “%(start)s”."
        ) % {"start": unclosed[0]}
    return None


def _citations(text):
    return sorted(cited_keys(render_markdown(text))) if "[@" in (text or "") else []


# Forms ------------------------------------------------------------------------------------


class NewTranslationForm(forms.ModelForm):
    """Which page to translate, and into which language."""

    source = forms.ChoiceField(
        label=gettext_lazy("Page to translate"),
        help_text=gettext_lazy(
            "Its English text is shown beside each field of the translation. The "
            "translation is a draft until a clinical reviewer approves it."
        ),
    )

    class Meta:
        model = Translation
        fields = ["language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for model in SOURCE_MODELS:
            content_type = ContentType.objects.get_for_model(model)
            rows = model.objects.all()
            if model is ClinicSettings:
                rows = [ClinicSettings.load()]
            options = [(f"{content_type.pk}:{row.pk}", source_name(row)) for row in rows]
            if options:
                choices.append((str(SOURCE_KINDS[model]), options))
        self.fields["source"].choices = [("", "---------"), *choices]
        self.fields["language"].initial = other_languages()[0][0]

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("source") or ""
        content_type_id, _sep, object_id = value.partition(":")
        source = None
        if content_type_id.isdigit() and object_id.isdigit():
            source = load_source(int(content_type_id), int(object_id))
        if source is None or not translatable(source):
            raise ValidationError({"source": _("Choose a page to translate.")})
        language = cleaned.get("language")
        if language and Translation.objects.of(source, language).exists():
            raise ValidationError(
                {"source": _("This page already has a translation in that language: edit it.")}
            )
        self.instance.content_type_id = int(content_type_id)
        self.instance.object_id = int(object_id)
        state = source_state(source)
        self.instance.source_revision_id = state["revision"]
        self.instance.source_words = state["words"]
        return cleaned


class TranslationForm(RevisionedForm):
    """The translation's texts, each beside its English; built for one translation by
    `translation_form` (its fields are the source's texts)."""

    source_state = forms.CharField(widget=forms.HiddenInput)
    brought_up_to_date = forms.BooleanField(
        required=False,
        label=gettext_lazy("The translation is brought up to date with the English page"),
        help_text=gettext_lazy(
            "Tick this once every text marked “the English changed” is translated again. "
            "Until then the Spanish page says that the English page was updated."
        ),
    )

    class Meta:
        model = Translation
        fields = []

    # Set by `translation_form` on the class it makes.
    current_state = None
    recorded_words = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for place, text in places(self.instance.content or {}):
            if _field_name(place) in self.fields:
                self.fields[_field_name(place)].initial = text
        self.fields["source_state"].initial = signing.dumps(
            self.current_state, salt=SIGNING_SALT, compress=True
        )

    @property
    def english_changed(self):
        return bool(self.changed_places)

    @property
    def changed_places(self):
        return changed_since(self.recorded_words, self.current_state)

    def clean_source_state(self):
        try:
            return signing.loads(self.cleaned_data["source_state"], salt=SIGNING_SALT)
        except signing.BadSignature as error:
            raise ValidationError(
                _("The form was changed outside the site. Open the translation again.")
            ) from error

    def clean(self):
        cleaned = super().clean()
        english = dict(places(self.current_state["words"]))
        for name in self.fields:
            if not name.startswith("t__") or name in self.errors:
                continue
            place, text = _place_of(name), cleaned.get(name) or ""
            if place[2] in MARKDOWN and text:
                problem = _markdown_problem(text)
                if problem:
                    self.add_error(name, problem)
                    continue
                wanted, found = _citations(english.get(place, "")), _citations(text)
                if text and wanted != found:
                    self.add_error(
                        name,
                        _(
                            "Keep the English text's citations, each at the end of the claim "
                            "it supports: it cites %(wanted)s; the translation cites "
                            "%(found)s."
                        )
                        % {
                            "wanted": ", ".join(f"[@{key}]" for key in wanted) or _("nothing"),
                            "found": ", ".join(f"[@{key}]" for key in found) or _("nothing"),
                        },
                    )
        return cleaned

    def translated_content(self):
        """The revision content this form's save makes."""
        words = {"fields": {}}
        for name in self.fields:
            if name.startswith("t__"):
                relation, pk, field = _place_of(name)
                text = (self.cleaned_data.get(name) or "").replace("\r\n", "\n")
                if not text:
                    continue
                if relation == "fields":
                    words["fields"][field] = text
                else:
                    words.setdefault(relation, {}).setdefault(pk, {})[field] = text
        posted = self.cleaned_data["source_state"]
        up_to_date = not self.recorded_words or self.cleaned_data.get("brought_up_to_date")
        if up_to_date:
            source = posted
        else:
            source = {"revision": self.instance.source_revision_id, "words": self.recorded_words}
        return {**words, "source": source}

    def rows(self):
        """What the template shows: each text, its English, its field, and whether (and how)
        the English changed since it was translated."""
        english_then = dict(places(self.recorded_words or {}))
        english_now = dict(places(self.current_state["words"]))
        changed = self.changed_places if self.recorded_words else set()
        shown = []
        for place, text in english_now.items():
            name = _field_name(place)
            if name not in self.fields:
                continue
            shown.append(
                {
                    "field": self[name],
                    "english": text,
                    "markdown": place[2] in MARKDOWN,
                    "changed": word_diff(english_then.get(place, ""), text)
                    if place in changed and place in english_then
                    else None,
                    "new": place in changed and place not in english_then,
                }
            )
        return shown


def changed_since(recorded_words, state):
    """The places of the source whose English changed since `recorded_words` were translated
    (none for a translation not yet begun)."""
    if not recorded_words:
        return set()
    return set(changed_places(recorded_words, state["words"]))


def translation_form(translation, state, base=TranslationForm):
    """A form class for `translation`: one field per text its source has now, and the "brought
    up to date" box only if its English changed since it was translated."""
    attrs = {"current_state": state, "recorded_words": translation.source_words}
    if not changed_since(translation.source_words, state):
        attrs["brought_up_to_date"] = None
    words = state["words"]
    for place, english in places(words):
        if not english.strip():
            continue  # nothing to translate
        relation, _pk, name = place
        long = name in LONG
        attrs[_field_name(place)] = forms.CharField(
            label=place_label(place, words),
            required=False,
            strip=True,
            widget=forms.Textarea(attrs={"rows": 8 if name in MARKDOWN else 3, "lang": "es"})
            if long
            else forms.TextInput(attrs={"size": 80, "lang": "es"}),
        )
    return type("TranslationForm", (base,), attrs)


# The admin --------------------------------------------------------------------------------


class OutOfDateFilter(admin.SimpleListFilter):
    title = gettext_lazy("English changed since")
    parameter_name = "out_of_date"

    def lookups(self, request, model_admin):
        return [("yes", _("Out of date")), ("no", _("Up to date"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        wanted = self.value() == "yes"
        ids = [t.pk for t in queryset if bool(out_of_date_places(t)) == wanted]
        return queryset.filter(pk__in=ids)


def out_of_date_places(translation):
    source = load_source(translation.content_type_id, translation.object_id)
    if source is None:
        return []
    return translation.changes_since(source_words(source))


@admin.register(Translation)
class TranslationAdmin(RevisionedPage, admin.ModelAdmin):
    """A translation is reviewed content of its own: saved as revisions, submitted, approved
    by a clinical reviewer, scheduled, taken down, like the page it translates."""

    change_form_template = "admin/publishing/translation_change_form.html"
    list_display = ["translation_of", "language", "status", "up_to_date", "next_review_on"]
    list_filter = ["language", "status", OutOfDateFilter, "content_type"]
    fieldsets = [(None, {"fields": ["language"]})]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type")

    @admin.display(description=gettext_lazy("translation of"))
    def translation_of(self, translation):
        source = translation.source
        return source_name(source) if source else _("(deleted page)")

    @admin.display(description=gettext_lazy("up to date with the English"))
    def up_to_date(self, translation):
        changed = out_of_date_places(translation)
        if not changed:
            return _("Yes")
        return format_html(
            '<strong class="translation-out-of-date">{}</strong>',
            _("No: the English changed in %(count)s place(s) since") % {"count": len(changed)},
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*super().get_readonly_fields(request, obj), "language", "source_link"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["source", "language"]})]
        fieldsets = super().get_fieldsets(request, obj)
        first = dict(fieldsets[0][1])
        first["fields"] = ["source_link", *first["fields"], "source_state"]
        if changed_since(obj.source_words, self._source_state(request, obj)):
            first["fields"].append("brought_up_to_date")
        return [(None, first), *fieldsets[1:]]

    @admin.display(description=gettext_lazy("translation of"))
    def source_link(self, translation):
        source = translation.source
        if source is None:
            return _("(deleted page)")
        return format_html('<a href="{}">{}</a>', source_admin_url(source), source_name(source))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NewTranslationForm
            kwargs["fields"] = ["language"]
            return admin.ModelAdmin.get_form(self, request, obj, change=change, **kwargs)
        state = self._source_state(request, obj)
        kwargs["form"] = translation_form(obj, state)
        kwargs["fields"] = ["go_live_at", "expires_at"]
        return super().get_form(request, obj, change=change, **kwargs)

    def _source_state(self, request, translation):
        cache = request.__dict__.setdefault("_translation_source", {})
        if translation.pk not in cache:
            source = load_source(translation.content_type_id, translation.object_id)
            cache[translation.pk] = (
                source_state(source) if source else {"revision": None, "words": {}}
            )
        return cache[translation.pk]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "source" in request.GET:
            initial["source"] = request.GET["source"]
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if obj is not None and hasattr(form, "rows"):
            context["translation_rows"] = form.rows()
            context["english_changed"] = form.english_changed
            context["translated_source"] = obj.source
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as error:  # made by a colleague meanwhile
            raise ValidationError(
                _("This page already has a translation in that language.")
            ) from error

    def content_from_forms(self, request, translation, formsets, *, store_image=True):
        return request._translation_form.translated_content()

    def save_form(self, request, form, change):
        request._translation_form = form
        return super().save_form(request, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            _("The translation is started. Translate each text beside its English, then save."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:translations_translation_change", args=[obj.pk]))
