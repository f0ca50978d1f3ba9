"""makemessages for the site's languages: the public site's strings only.

Staff pages stay in English (the admin, the publishing workflow, the reference import), so
their strings, marked for translation all the same, are left out of the catalogues that
translators keep complete. Everything else a visitor reads is gathered as usual.
"""

from django.core.management.commands import makemessages

STAFF_ONLY = [
    "templates/admin/*",
    "templates/simple_history/*",
    "templates/articles/_editor_preview.html",
    "templates/articles/_markdown_editor.html",
    "*/admin.py",
    "*/admin/*",
    "publishing/*",
    "references/importing.py",
    "references/services.py",
    "translations/models.py",
    # The tests' own strings are not the site's.
    "tests/*",
]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *STAFF_ONLY]
        return super().handle(*args, **options)
