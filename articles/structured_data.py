"""schema.org MedicalWebPage for article and topic pages: review dates and cited DOIs."""

from django.utils import translation


def medical_web_page(page, *, url, references, site_name):
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "url": url,
        "description": page.summary,
        # The page's language, as a US clinic's site writes it.
        "inLanguage": f"{translation.get_language()}-US",
        # An article is its publisher's (a source's, or the clinic's own); a topic page,
        # composed by the clinic, is the clinic's.
        "publisher": (
            {"@type": "Organization", "name": page.publisher}
            if getattr(page, "publisher", "")
            else {"@type": "MedicalClinic", "name": site_name}
        ),
    }
    if page.last_reviewed_on:
        data["lastReviewed"] = page.last_reviewed_on.isoformat()
        if page.reviewed_by:
            data["reviewedBy"] = {"@type": "Person", "name": page.reviewed_by}
    dates = {
        "datePublished": getattr(page, "published_on", None),
        "dateModified": getattr(page, "updated_on", None),
    }
    data.update({key: value.isoformat() for key, value in dates.items() if value})
    if getattr(page, "author_name", ""):
        data["author"] = {"@type": "Person", "name": page.author_name}
        if page.author_credentials:
            data["author"]["honorificSuffix"] = page.author_credentials
    if getattr(page, "source_url", ""):
        data["isBasedOn"] = page.source_url
    citations = [
        {
            "@type": "ScholarlyArticle",
            "name": cited.reference.title,
            "identifier": f"doi:{cited.reference.doi}",
            "sameAs": cited.reference.doi_url,
        }
        for cited in references
        if cited.reference.doi
    ]
    if citations:
        data["citation"] = citations
    return data
