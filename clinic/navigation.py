"""The site's main navigation and which of its entries a request is in."""

# (key, label, URL name); the key is the URL namespace, or the URL name for pages outside one.
MAIN_NAVIGATION = [
    ("home", "Home", "home"),
    ("articles", "Articles", "articles:list"),
]


def current_section(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    return match.namespace or match.url_name
