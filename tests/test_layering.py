"""The apps form layers: each imports only from the layers below it (README, "How it is built").

A lower app that imported a higher one would tie, say, references to articles: neither
could change, be tested or be reused without the other.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

BASE = Path(settings.BASE_DIR)

# Lowest first. Apps in one layer are peers and do not import each other either.
LAYERS = [
    ["pagecache"],  # the public-page cache: knows no content
    ["translations"],  # translations of any content, knowing it by content type and id
    ["clinic", "references", "glossary", "claims"],  # clinic details; references; terms; claims
    ["articles"],  # articles and their sections, citing references
    ["topics"],  # topic pages, composed from article sections
    ["enquiries"],  # the enquiry form and the staff email outbox
    ["front", "publishing", "feedback"],  # home, navigation and search; sign-off; readers' answers
    ["atma_site"],  # settings and URL wiring
]
LAYER_OF = {app: number for number, apps in enumerate(LAYERS) for app in apps}
# Template tag libraries, by the app that defines them.
TAG_LIBRARIES = {
    "clinic_tags": "clinic",
    "page_tags": "articles",
    "front_tags": "front",
    "publishing_tags": "publishing",
    "enquiry_tags": "enquiries",
}


def imported_apps(source, package):
    """Our apps that `source`, a module of `package`, imports (relative imports resolved)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [package if node.level else node.module or ""]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in LAYER_OF)
    return found


def upward_imports(app, source):
    """The apps `source` (a module of `app`) imports that are not below `app`."""
    return sorted(
        other
        for other in imported_apps(source, app)
        if other != app and LAYER_OF[other] >= LAYER_OF[app]
    )


# URL names that belong to an app: "topics:safety", or the admin's "admin:articles_section_change".
NAMESPACED_URL = re.compile(r"""["']([a-z]+):[\w-]+["']""")
ADMIN_URL = re.compile(r"""["']admin:([a-z]+)_""")


def named_url_apps(text):
    """Our apps whose URLs `text` names (in reverse(), redirect() or {% url %})."""
    names = NAMESPACED_URL.findall(text) + ADMIN_URL.findall(text)
    return {app for app in names if app in LAYER_OF}


def template_dependencies(text):
    """Apps a template leans on: the templates it extends or includes, the tags it loads."""
    used = set()
    for directory in re.findall(r"{%\s*(?:extends|include)\s+[\"']([\w-]+)/", text):
        used.add(directory)
    for libraries in re.findall(r"{%\s*load\s+([\w\s]+?)\s*%}", text):
        used.update(TAG_LIBRARIES[name] for name in libraries.split() if name in TAG_LIBRARIES)
    return {app for app in used if app in LAYER_OF} | named_url_apps(text)


def test_every_app_of_ours_has_a_layer():
    ours = {
        path.parent.name
        for path in BASE.glob("*/apps.py")
        if path.parent.name in {name.split(".")[0] for name in settings.INSTALLED_APPS}
    }
    assert ours | {"atma_site"} == set(LAYER_OF)


@pytest.mark.parametrize("app", sorted(LAYER_OF))
def test_app_imports_only_from_lower_layers(app):
    problems = {
        str(path.relative_to(BASE)): upward
        for path in sorted((BASE / app).rglob("*.py"))
        if (upward := upward_imports(app, path.read_text()))
    }
    assert problems == {}


@pytest.mark.parametrize("app", sorted(LAYER_OF))
def test_app_names_only_urls_of_lower_layers(app):
    problems = {}
    for path in sorted((BASE / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        upward = {
            other
            for other in named_url_apps(path.read_text())
            if other != app and LAYER_OF[other] >= LAYER_OF[app]
        }
        if upward:
            problems[str(path.relative_to(BASE))] = sorted(upward)
    assert problems == {}


def reverse_names_from_above():
    """(lower app, higher app, name): the reverse relations a higher app's models give a
    lower app's models, such as `citing_sections` that articles gives a reference."""
    found = set()
    for model in apps.get_models():
        higher = model._meta.app_label
        for field in model._meta.get_fields():
            target = field.related_model if field.is_relation and field.concrete else None
            if target is None or target._meta.app_label not in LAYER_OF or higher not in LAYER_OF:
                continue
            lower = target._meta.app_label
            if LAYER_OF[lower] < LAYER_OF[higher] and not field.remote_field.hidden:
                found.add((lower, higher, field.remote_field.get_accessor_name()))
    return sorted(found)


def test_the_reverse_names_are_found():
    assert ("references", "articles", "citing_sections") in reverse_names_from_above()
    assert ("articles", "topics", "topic_pages") in reverse_names_from_above()


@pytest.mark.parametrize("lower, higher, name", reverse_names_from_above())
def test_a_lower_app_does_not_reach_up_through_a_reverse_relation(lower, higher, name):
    """`Reference.objects.filter(citing_sections__article__status=…)` in references would
    know the articles schema without importing it."""
    using = [
        str(path.relative_to(BASE))
        for path in sorted((BASE / lower).rglob("*.py"))
        if "migrations" not in path.parts and re.search(rf"\b{name}\b", path.read_text())
    ]
    assert using == [], f"{lower} uses {higher}'s {name}"


# templates/includes/, base.html and the admin's overrides belong to the project (the top).
@pytest.mark.parametrize(
    "directory",
    sorted(path.name for path in (BASE / "templates").iterdir() if path.name in LAYER_OF),
)
def test_an_apps_templates_use_only_lower_layers(directory):
    problems = {}
    for path in sorted((BASE / "templates" / directory).rglob("*.html")):
        upward = {
            app
            for app in template_dependencies(path.read_text())
            if app != directory and LAYER_OF[app] >= LAYER_OF[directory]
        }
        if upward:
            problems[str(path.relative_to(BASE))] = sorted(upward)
    assert problems == {}


@pytest.mark.parametrize(
    "app, source, expected",
    [
        ("references", "from articles.models import Section", ["articles"]),
        ("articles", "import topics.models", ["topics"]),
        ("clinic", "from references.citations import cited_keys", ["references"]),  # a peer
        ("enquiries", "from atma_site.network import client_address", ["atma_site"]),
        ("articles", "def f():\n    from front import search", ["front"]),  # inside a function
        ("topics", "from articles.models import Section\nfrom .models import TopicPage", []),
        ("enquiries", "from django.conf import settings", []),
    ],
)
def test_the_check_finds_upward_imports(app, source, expected):
    assert upward_imports(app, source) == expected


def test_the_check_finds_templates_leaning_on_higher_apps():
    text = '{% extends "topics/topicpage_detail.html" %}{% load static front_tags clinic_tags %}'
    assert template_dependencies(text) == {"topics", "front", "clinic"}
    assert template_dependencies("{% url 'enquiries:enquire' %}") == {"enquiries"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ('reverse("admin:articles_section_change", args=[1])', {"articles"}),
        ("redirect('topics:safety')", {"topics"}),
        ('reverse("home")', set()),  # the project's own names
        ('reverse("admin:index")', set()),
    ],
)
def test_the_check_finds_url_names_of_apps(text, expected):
    assert named_url_apps(text) == expected
