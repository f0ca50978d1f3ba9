from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from articles.uploads import CheckedImageUploadView
from articles.views import LivePreviewView, all_references
from enquiries.throttling import window_minutes
from front.views import EditorialPolicyView, HomeView, search_view
from pagecache.decorators import public_page
from publishing.admin.claims import claims_to_settle
from topics.review import review_schedule

from .media import serve_media
from .sitemaps import SITEMAPS
from .staff import staff_with_permission

editors_only = staff_with_permission("articles.change_section")


def favicon_ico(request):
    # Resolved per request: the hashed name exists only once collectstatic has run.
    return redirect(static("favicon.svg"), permanent=True)


def _language_prefixes():
    """ "" for the default language, whose pages keep unprefixed addresses; "/es" and so on."""
    return ["" if code == settings.LANGUAGE_CODE else f"/{code}" for code, _ in settings.LANGUAGES]


def robots_txt(request):
    """Everything public may be indexed; staff pages, previews and the form's results not."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        *(
            f"Disallow: {prefix}{path}"
            for prefix in _language_prefixes()
            for path in (
                "/articles/preview/",
                "/topics/preview/",
                "/enquire/thanks/",
                "/feedback/",
                "/search/",
            )
        ),
        "",
        f"Sitemap: {settings.SITE_URL.rstrip('/')}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


handler400 = "atma_site.errors.bad_request"
handler403 = "atma_site.staff.permission_denied"
handler500 = "atma_site.errors.server_error"

admin.site.site_header = "ATMA CENA site administration"
admin.site.site_title = "ATMA CENA admin"

# Pages a visitor reads: in English at their own addresses, in Spanish under /es/.
urlpatterns = i18n_patterns(
    path("", public_page(HomeView.as_view()), name="home"),
    path("articles/", include("articles.urls")),
    path("glossary/", include("glossary.urls")),
    path("", include("topics.urls")),
    path("enquire/", include("enquiries.urls")),
    path("feedback/", include("feedback.urls")),
    path("references/", include("references.urls")),
    path(
        "editorial-policy/",
        public_page(EditorialPolicyView.as_view()),
        name="editorial_policy",
    ),
    re_path(
        r"^references/all\.(?P<export_format>bib|ris|json)$",
        public_page(all_references),
        name="all_references",
    ),
    path(
        "privacy/",
        public_page(
            TemplateView.as_view(
                template_name="enquiries/privacy.html",
                extra_context={
                    "retention_days": settings.ENQUIRY_RETENTION_DAYS,
                    "rate_limit_minutes": window_minutes(),
                },
            )
        ),
        name="privacy",
    ),
    path(
        "accessibility/",
        public_page(TemplateView.as_view(template_name="accessibility.html")),
        name="accessibility",
    ),
    path("search/", public_page(search_view), name="search"),
    prefix_default_language=False,
)

# Addresses that are the same in every language: files for machines, and staff pages.
urlpatterns += [
    path("robots.txt", public_page(robots_txt), name="robots_txt"),
    # Browsers ask for /favicon.ico where a page names no icon (a PDF, an XML file).
    path("favicon.ico", favicon_ico, name="favicon.ico"),
    path(
        "sitemap.xml",
        public_page(sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("admin/review-schedule/", admin.site.admin_view(review_schedule), name="review_schedule"),
    path(
        "admin/phrases-to-settle/",
        admin.site.admin_view(claims_to_settle),
        name="claims_to_settle",
    ),
    path("admin/", admin.site.urls),
    # markdownx's own URLconf lets anyone upload and preview; these names are
    # the ones its editor widget looks up, wrapped for staff only.
    path(
        "markdownx/markdownify/",
        editors_only(LivePreviewView.as_view()),
        name="markdownx_markdownify",
    ),
    path(
        "markdownx/upload/", editors_only(CheckedImageUploadView.as_view()), name="markdownx_upload"
    ),
]

if settings.SERVE_MEDIA:
    # From whichever storage holds the uploads (raster images only, see
    # MARKDOWNX_UPLOAD_CONTENT_TYPES); in production nginx serves /media/, with SERVE_MEDIA=false.
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", public_page(serve_media))
    )
