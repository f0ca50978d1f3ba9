import io

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.utils.module_loading import import_string

from articles.models import Article, Section
from references.models import Reference
from topics.models import TopicPage

SEED_FIXTURES = ["references", "glossary", "articles", "topics"]


class Command(BaseCommand):
    help = "Load the seed articles, references and topic pages into a database with no content."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if content exists (fixture rows replace those with the same ids).",
        )

    @transaction.atomic
    def handle(self, *args, force=False, verbosity=1, **options):
        has_content = any(
            model.objects.exists() for model in (Article, Section, TopicPage, Reference)
        )
        if has_content and not force:
            if verbosity:
                self.stdout.write("The database already has content; seed content not loaded.")
            return
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)
        # loaddata stores rows as they are in the fixture; derived HTML is made here.
        call_command("rerender", stdout=io.StringIO())
        # A first history record for every row, so the first edit can be undone.
        call_command("populate_history", auto=True, stdout=io.StringIO(), stderr=io.StringIO())
        # Their Spanish translations: drafts waiting for clinical review, and the clinic's
        # own texts (publishing.seeding).
        translations = import_string(settings.SEED_TRANSLATIONS_FUNCTION)()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {Article.objects.count()} articles, {Section.objects.count()} sections, "
                    f"{TopicPage.objects.count()} topic pages and {Reference.objects.count()} references, "
                    f"and {translations} Spanish translations."
                )
            )
