"""Check the production topology end to end: see deploy/check-topology."""

import json
import re
import secrets
import struct
import subprocess
import sys
import time
import traceback
import urllib.error
import zlib

from topology import MEDIA_BUCKET, ROOT, Browser, Topology, form_fields, stop_on_signals

FRESHNESS_BOUND = 10  # seconds within which every server and nginx must show a change
RATE_LIMIT = 3
ARTICLE = "/articles/who-can-benefit-from-ketamine-therapy/"


class Checks:
    def __init__(self):
        self.failures = 0

    def check(self, description, condition, detail=""):
        mark = "ok  " if condition else "FAIL"
        print(f"  [{mark}] {description}" + (f" ({detail})" if detail else ""), flush=True)
        if not condition:
            self.failures += 1
        return condition


def wait_until(predicate, bound=FRESHNESS_BOUND):
    """Seconds until `predicate()` held, or None if it did not within `bound`."""
    started = time.monotonic()
    while time.monotonic() - started < bound:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def post_enquiries(browser, servers, *, via_proxy):
    """Load the form from each server in turn, wait as a person would, post each; statuses."""
    forms = []
    for server in servers:
        page = browser.get(server + "/enquire/", via_proxy=via_proxy)
        forms.append((server, form_fields(page.text, form_id="enquiry-form")))
    time.sleep(1.2)  # a person takes longer than ENQUIRY_MIN_SECONDS to write
    statuses = []
    for number, (server, fields) in enumerate(forms):
        fill_in_enquiry(fields, name=f"Topology check {number}", email=f"check{number}@example.org")
        statuses.append(browser.post(server + "/enquire/", fields, via_proxy=via_proxy).status)
    return statuses


def fill_in_enquiry(fields, **answers):
    """Answer the enquiry form's questions in `fields`, as a person would."""
    fields.update(
        name="A person",
        email="person@example.org",
        preferred_contact="email",
        topic="costs",
        message="What does a course of treatment cost?",
        consent="on",
    )
    fields.update(answers)
    return fields


def shared_section_id(topology):
    """A section of the article that a topic page also shows, and that page's address."""
    output = topology.python(
        "from topics.models import TopicSection as T; "
        "t = T.objects.select_related('page', 'section').filter("
        "section__article__slug='who-can-benefit-from-ketamine-therapy').first(); "
        "print(t.section_id, t.page.get_absolute_url())",
    )
    section_id, page_url = output.split()
    return int(section_id), page_url


def png(width, height):
    """A PNG of one colour, made with the standard library."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = (b"\x00" + b"\x2a\x7f\x7a" * width) * height
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def check_image_upload(checks, topology, staff, visitor):
    """Upload an image through server A; the others see it. Its storage name, or None."""
    server_a, server_b = topology.app_urls
    uploaded = staff.request(
        "POST",
        server_a + "/markdownx/upload/",
        files={"image": ("room.png", png(1200, 800), "image/png")},
        headers={"X-Requested-With": "XMLHttpRequest"},
        via_proxy=True,
    )
    url = uploaded.status == 200 and json.loads(uploaded.text).get("url", "")
    if not checks.check(
        "server A stores an uploaded image and answers its /media/ address",
        bool(url) and url.startswith("/media/markdownx/"),
        uploaded.status if url else f"{uploaded.status} {uploaded.text[:200]}",
    ):
        return None
    on_disk = [path for port in topology.app_ports for path in topology.media_root(port).rglob("*")]
    checks.check("no app server wrote a file to its own disk", not on_disk, on_disk)
    base = url.removesuffix(".png")
    addresses = [url, f"{base}-480w.png", f"{base}-960w.png"]
    served = [visitor.get(topology.nginx_url + address) for address in addresses]
    checks.check(
        "nginx serves the image and its smaller sizes from the bucket",
        all(
            answer.status == 200
            and answer.getheader("Content-Type") == "image/png"
            and answer.content.startswith(b"\x89PNG")
            for answer in served
        ),
        [answer.status for answer in served],
    )
    again = visitor.get(topology.nginx_url + url)
    checks.check(
        "nginx answers the repeat from its own cache",
        again.getheader("X-Proxy-Cache") == "HIT" and again.content == served[0].content,
        again.getheader("X-Proxy-Cache"),
    )
    checks.check(
        "no app server was asked for /media/",
        not any("/media/" in topology.access_log(port) for port in topology.app_ports),
    )
    rendered = staff.post(
        server_b + "/markdownx/markdownify/",
        {"content": f"![A room]({url})"},
        headers={"X-Requested-With": "XMLHttpRequest", "X-CSRFToken": staff.cookies["csrftoken"]},
        via_proxy=True,
    )
    checks.check(
        "server B renders the image with its sizes: it reads the same bucket",
        rendered.status == 200 and f"{base}-480w.png 480w" in rendered.text,
        rendered.status,
    )
    missing = visitor.get(topology.nginx_url + "/media/markdownx/never-uploaded.png")
    listing = visitor.get(topology.nginx_url + "/media/?list-type=2")
    checks.check(
        "nginx answers a missing image, or a listing of the bucket, with a plain 404",
        missing.status == 404 and listing.status == 404 and MEDIA_BUCKET not in missing.text,
        f"{missing.status}, {listing.status}",
    )
    planted = visitor.request("PUT", topology.nginx_url + "/media/markdownx/planted.png")
    removed = visitor.request("DELETE", topology.nginx_url + url)
    checks.check(
        "nginx lets no visitor write to the bucket or delete from it",
        planted.status >= 400
        and removed.status >= 400
        and stored_object(topology, MEDIA_BUCKET, "markdownx/planted.png") is None
        and stored_object(topology, MEDIA_BUCKET, url.removeprefix("/media/")) is not None,
        f"{planted.status}, {removed.status}",
    )
    return url.removeprefix("/media/")


def stored_object(topology, bucket, name):
    """An object's bytes as the bucket holds them, or None if it has none of that name."""
    try:
        return topology.object_store.get(bucket, name)
    except urllib.error.HTTPError:
        return None


def main():
    stop_on_signals()
    checks = Checks()
    print(
        "Starting nginx, two gunicorn servers, a PostgreSQL database, Redis and an S3 server "
        "(loopback only)…"
    )
    with Topology(
        servers=2,
        environment={
            "ENQUIRY_RATE_LIMIT_POSTS": str(RATE_LIMIT),
            "ENQUIRY_MIN_SECONDS": "1",
            "PAGE_CACHE_MAX_AGE": "5",
        },
    ) as topology:
        nginx = topology.nginx_url
        server_a, server_b = topology.app_urls
        print(f"  nginx {nginx}, app servers {server_a} and {server_b}")
        visitor = Browser()

        print("Static files and HTTPS")
        home = visitor.get(nginx + "/")
        checks.check("home page answers 200 through nginx over TLS", home.status == 200)
        stylesheet = re.search(r'href="(/static/css/main\.[0-9a-f]+\.css)"', home.text)
        checks.check("pages link hashed static files", bool(stylesheet))
        if stylesheet:
            css = visitor.get(nginx + stylesheet.group(1))
            checks.check(
                "a hashed static file comes from nginx, kept for a year",
                css.status == 200 and "immutable" in (css.getheader("Cache-Control") or ""),
                css.getheader("Cache-Control"),
            )
            apps_saw_static = any(
                stylesheet.group(1) in topology.access_log(port) for port in topology.app_ports
            )
            checks.check("no app server was asked for the static file", not apps_saw_static)
        plain = visitor.get(f"http://127.0.0.1:{topology.http_port}/safety/")
        checks.check(
            "plain HTTP is redirected to HTTPS",
            plain.status == 301 and plain.getheader("Location", "").startswith("https://"),
        )

        print("Public page cache")
        visitor.get(nginx + ARTICLE)
        again = visitor.get(nginx + ARTICLE)
        checks.check(
            "a public page is public, max-age=5, and nginx answers the repeat from its cache",
            "public" in again.getheader("Cache-Control", "")
            and again.getheader("X-Proxy-Cache") == "HIT",
            f"{again.getheader('Cache-Control')}, nginx {again.getheader('X-Proxy-Cache')}",
        )
        for server in (server_a, server_b):
            visitor.get(server + ARTICLE, via_proxy=True)
            hit = visitor.get(server + ARTICLE, via_proxy=True)
            checks.check(
                f"{server} answers the page from the shared cache",
                hit.getheader("X-Page-Cache") == "hit",
            )
        # As nginx passes it on: the site's host, whichever server answers.
        site_host = {"Host": nginx.removeprefix("https://")}
        visitor.get(server_a + "/safety/", via_proxy=True, headers=site_host)
        shared = visitor.get(server_b + "/safety/", via_proxy=True, headers=site_host)
        checks.check(
            "a page server A stored is a hit on server B: one cache, one release fingerprint",
            shared.getheader("X-Page-Cache") == "hit",
            shared.getheader("X-Page-Cache"),
        )

        print("An image uploaded through server A (uploads in the bucket, no shared disk)")
        staff = Browser(client_address="198.51.100.20")
        staff.sign_in(server_a, via_proxy=True)
        image = check_image_upload(checks, topology, staff, visitor)

        print("An edit saved through server A, showing the image")
        section_id, topic_url = shared_section_id(topology)
        visitor.get(nginx + topic_url)
        change_url = f"{server_a}/admin/articles/section/{section_id}/change/"
        fields = form_fields(staff.get(change_url, via_proxy=True).text, form_id="section_form")
        marker = f"Edited through server A at {time.time():.0f}."
        fields["body"] = marker + (f"\n\n![A calm room](/media/{image})" if image else "")
        saved = staff.post(change_url, fields, via_proxy=True)
        checks.check("the admin on server A saves the section", saved.status == 302, saved.status)
        checks.check(
            "the saved edit waits for clinical review: patients do not see it",
            marker not in visitor.get(nginx + ARTICLE).text
            and marker not in visitor.get(server_b + ARTICLE, via_proxy=True).text,
        )

        print("A clinical reviewer approves it through server B")
        revision_id = int(
            topology.python(
                "from articles.models import Section; from publishing.models import Revision; "
                f"print(Revision.objects.of(Section.objects.get(pk={section_id}).article).first().pk)"
            )
        )
        review_path = f"/admin/publishing/revision/{revision_id}/review/"
        submit = form_fields(
            staff.get(server_a + review_path, via_proxy=True).text, form_id="submit-form"
        )
        submitted = staff.post(
            server_a + review_path, {**submit, "action": "submit"}, via_proxy=True
        )
        checks.check("the editor submits it for review", submitted.status == 302, submitted.status)
        reviewer_password = secrets.token_urlsafe(16)
        topology.python(
            "from django.contrib.auth.models import Group, User; "
            f"user = User.objects.create_user('topology-reviewer', 'r@example.org', '{reviewer_password}', is_staff=True); "
            "user.groups.add(Group.objects.get(name='Clinical reviewers')); print(user.pk)"
        )
        reviewer = Browser(client_address="198.51.100.21")
        reviewer.sign_in(
            server_b, via_proxy=True, username="topology-reviewer", password=reviewer_password
        )
        approve = form_fields(
            reviewer.get(server_b + review_path, via_proxy=True).text, form_id="approve-form"
        )
        approve["credit"] = "Topology Reviewer, MD"
        approved = reviewer.post(
            server_b + review_path, {**approve, "action": "approve"}, via_proxy=True
        )
        checks.check(
            "the reviewer approves it on server B", approved.status == 302, approved.status
        )
        for where, url, kwargs in [
            ("nginx, on the article", nginx + ARTICLE, {}),
            ("nginx, on the topic page reusing the section", nginx + topic_url, {}),
            ("server B, on the article", server_b + ARTICLE, {"via_proxy": True}),
        ]:
            seconds = wait_until(
                lambda url=url, kwargs=kwargs: marker in visitor.get(url, **kwargs).text
            )
            checks.check(
                f"the approved edit is visible through {where} within {FRESHNESS_BOUND} s",
                seconds is not None,
                f"{seconds:.1f} s" if seconds is not None else "never",
            )
        if image:
            page = visitor.get(nginx + ARTICLE).text
            checks.check(
                "the image uploaded through A is on the page, with its sizes",
                f"/media/{image.removesuffix('.png')}-480w.png 480w" in page,
            )
        through_nginx = staff.get(nginx + ARTICLE)
        checks.check(
            "staff signed in get a private page through nginx, never its cache",
            "no-store" in through_nginx.getheader("Cache-Control", "")
            and through_nginx.getheader("X-Proxy-Cache") in ("BYPASS", None),
            f"{through_nginx.getheader('Cache-Control')}, nginx {through_nginx.getheader('X-Proxy-Cache')}",
        )

        print("Unpublishing through server A")
        article_id = int(
            topology.python(
                "from articles.models import Article; print(Article.objects.get("
                "slug='who-can-benefit-from-ketamine-therapy').pk)"
            )
        )
        changelist = f"{server_a}/admin/articles/article/"
        token = form_fields(staff.get(changelist, via_proxy=True).text, form_id="changelist-form")
        action = staff.post(
            changelist,
            {
                "csrfmiddlewaretoken": token["csrfmiddlewaretoken"],
                "action": "unpublish",
                "_selected_action": str(article_id),
                "confirmed": "yes",  # the confirmation page names the pages losing sections
            },
            via_proxy=True,
        )
        checks.check("the unpublish action runs", action.status == 302, action.status)
        for where, url, kwargs in [
            ("nginx", nginx + ARTICLE, {}),
            ("server B", server_b + ARTICLE, {"via_proxy": True}),
        ]:
            seconds = wait_until(
                lambda url=url, kwargs=kwargs: visitor.get(url, **kwargs).status == 404
            )
            checks.check(
                f"the article is gone from the public through {where} within {FRESHNESS_BOUND} s",
                seconds is not None,
                f"{seconds:.1f} s" if seconds is not None else "still shown",
            )

        print(f"The enquiry rate limit ({RATE_LIMIT} posts per client) across both servers")
        enquirer = Browser(client_address="203.0.113.45")
        servers = [(server_a, server_b)[number % 2] for number in range(RATE_LIMIT + 1)]
        statuses = post_enquiries(enquirer, servers, via_proxy=True)
        checks.check(
            f"posts alternating A and B: the first {RATE_LIMIT} accepted, the next refused",
            statuses == [302] * RATE_LIMIT + [429],
            statuses,
        )
        other = Browser(client_address="203.0.113.46")
        page = other.get(server_b + "/enquire/", via_proxy=True)
        fields = form_fields(page.text, form_id="enquiry-form")
        time.sleep(1.2)
        fill_in_enquiry(
            fields,
            name="Another person",
            email="another@example.org",
            message="Do you take insurance?",
        )
        status = other.post(server_b + "/enquire/", fields, via_proxy=True).status
        checks.check(
            "another client is still accepted (the limit is per client)", status == 302, status
        )

        # Through nginx, as visitors post: nginx adds the address it saw to X-Forwarded-For
        # and the app (NUM_PROXIES=1) takes it from there.
        statuses = post_enquiries(Browser(), [nginx] * (RATE_LIMIT + 1), via_proxy=False)
        served_by = [
            port for port in topology.app_ports if "POST /enquire/" in topology.access_log(port)
        ]
        checks.check(
            f"posts through nginx: the first {RATE_LIMIT} accepted, the next refused",
            statuses == [302] * RATE_LIMIT + [429],
            f"{statuses}; app servers that took posts: {len(served_by)}",
        )

        check_nginx_rate_limits(checks, nginx)
        check_database_outage(checks, topology)

        print("Backup and restore")
        backups = topology.dir / "backups"
        produced = _run_deploy_script(
            checks,
            "backup",
            [str(backups)],
            topology.environment,
            "writes a dump and a media archive",
        )
        if produced.returncode == 0:
            dump, media = produced.stdout.split()
            restored = topology.database + "_restored"
            topology._create_database(restored)
            restored_bucket = MEDIA_BUCKET + "-restored"
            topology.object_store.create_bucket(restored_bucket)
            restored_environment = {"AWS_STORAGE_BUCKET_NAME": restored_bucket}
            _run_deploy_script(
                checks,
                "restore",
                [dump, media],
                {
                    **topology.environment,
                    **restored_environment,
                    "DATABASE_URL": topology.database_url(restored),
                },
                "restores into a new database and a new bucket",
            )
            body = topology.python(
                f"from articles.models import Section; print(repr(Section.objects.get(pk={section_id}).body))",
                database=restored,
            )
            checks.check("the restored database has the latest edit", marker in body)
            if image:
                base = image.removesuffix(".png")
                names = [image, f"{base}-480w.png", f"{base}-960w.png"]
                checks.check(
                    "the restored bucket has the image and its sizes, byte for byte",
                    all(
                        stored_object(topology, restored_bucket, name)
                        == stored_object(topology, MEDIA_BUCKET, name)
                        is not None
                        for name in names
                    ),
                )
                sizes = topology.python(
                    "from articles.images import stored_sizes; "
                    f"print([size['width'] for size in stored_sizes('{image}')])",
                    database=restored,
                    extra_env=restored_environment,
                )
                checks.check(
                    "the restored site finds the image and its sizes", sizes == "[480, 960, 1200]"
                )
            pending = topology.manage("showmigrations", "--plan", database=restored)
            checks.check("the restored database is fully migrated", "[ ]" not in pending)

    print("Stopped everything the check started.")
    if checks.failures:
        print(f"check-topology: {checks.failures} check(s) FAILED")
        return 1
    print("check-topology: all checks passed")
    return 0


def check_nginx_rate_limits(checks, nginx):
    print("nginx limits sign-in attempts and searches per client")
    for what, path, passed in [("sign-in", "/admin/login/", 10), ("search", "/search/?q=x", 20)]:
        client = Browser()
        statuses = [client.get(nginx + path).status for _ in range(passed + 10)]
        checks.check(
            f"{what}: a burst of {passed} passes, then 429",
            statuses[:passed] == [200] * passed and 429 in statuses[passed:],
            statuses,
        )


def check_database_outage(checks, topology):
    print("The database stopped (the app servers' connection cut), then back")
    nginx = topology.nginx_url
    server_a, server_b = topology.app_urls
    as_nginx = {"Host": nginx.split("://", 1)[1]}  # the address pages are kept under
    page = "/safety/"
    visitor = Browser(client_address="198.51.100.30")
    visitor.get(nginx + page)  # kept by nginx, and by the app in Redis
    enquirer = Browser(client_address="203.0.113.60")
    fields = fill_in_enquiry(
        form_fields(enquirer.get(nginx + "/enquire/").text, form_id="enquiry-form"),
        message="Sent while the database was away.",
    )

    time.sleep(1.2)  # a person takes longer than ENQUIRY_MIN_SECONDS to write
    topology.cut_database()
    for server in (server_a, server_b):
        stale = visitor.get(server + page, via_proxy=True, headers=as_nginx)
        checks.check(
            f"{server} answers the cached page from Redis",
            stale.status == 200 and stale.getheader("X-Page-Cache") == "stale",
            f"{stale.status}, {stale.getheader('X-Page-Cache')}",
        )
    never = visitor.get(server_b + "/accessibility/", via_proxy=True, headers=as_nginx)
    checks.check(
        "a page never cached answers 503 with the crisis numbers",
        never.status == 503 and "Call 988" in never.text,
        never.status,
    )
    held = enquirer.post(nginx + "/enquire/", fields)
    reference = re.search(r"ENQ-[0-9A-Z]{8}", held.text)
    checks.check(
        "an enquiry posted through nginx is held, and its sender thanked with a reference",
        held.status == 200 and bool(reference),
        held.status,
    )
    # The app's copies gone too (its Redis emptied, its servers reloaded with empty
    # memory): the app can only answer 503, and nginx has its own copy left.
    topology.python("from django.core.cache import caches; caches['pages'].clear(); print(1)")
    topology.reload_app_servers()
    time.sleep(int(topology.environment["PAGE_CACHE_MAX_AGE"]) + 2.5)  # past max-age + stale
    through = visitor.get(nginx + page)
    checks.check(
        "nginx serves its own copy of a page when the app cannot",
        through.status == 200 and through.getheader("X-Proxy-Cache") == "STALE",
        f"{through.status}, nginx {through.getheader('X-Proxy-Cache')}",
    )

    topology.restore_database()
    seconds = wait_until(
        lambda: (
            visitor.get(server_a + page, via_proxy=True, headers=as_nginx).getheader("X-Page-Cache")
            in ("hit", "miss")
        )
    )
    checks.check(
        "once the database is back, pages are current again",
        seconds is not None,
        f"{seconds:.1f} s" if seconds is not None else "still stale",
    )
    stored = topology.python(
        "from enquiries.hold import store_held; from enquiries.models import Enquiry; "
        f"store_held(); print(Enquiry.objects.filter(reference='{reference and reference.group()}').count())"
    )
    checks.check("the held enquiry is stored once the database is back", stored == "1", stored)


def _run_deploy_script(checks, name, arguments, environment, what_it_does):
    """Run deploy/<name> and check that it succeeded; its result, for what it printed."""
    result = subprocess.run(
        [str(ROOT / "deploy" / name), *arguments],
        env=environment,
        capture_output=True,
        text=True,
    )
    checks.check(f"deploy/{name} {what_it_does}", result.returncode == 0, result.stderr[-500:])
    return result


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        print("check-topology: FAILED with an error (everything started was stopped)")
        sys.exit(1)
