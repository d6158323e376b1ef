"""Every page reachable by URL has exactly one <h1> and a title (STYLE 7).

The URLs are found by walking the resolver, so a page added later is checked without anyone
listing it here. Patterns that need arguments are skipped unless PAGES_NEEDING_A_REQUEST says
how to build their arguments from a request.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import URLResolver, get_resolver, reverse

from requests_app.models import User
from tests.factories import make_request

# url name (with namespace, if any) → kwargs built from a Nottinghamshire request the signed-in
# SCIMT officer can see. Add pages that take a request's reference here, for example
#   "request_detail": lambda request: {"reference": request.reference},
PAGES_NEEDING_A_REQUEST = {
    "request_detail": lambda request: {"reference": request.reference},
    "triage": lambda request: {"reference": request.reference},
    "add_note": lambda request: {"reference": request.reference},
    "correct_request": lambda request: {"reference": request.reference},
    "act": lambda request: {"reference": request.reference, "action": "pause"},
    "document_add": lambda request: {"reference": request.reference},
    "document_text_add": lambda request: {"reference": request.reference},
    "redact_every_instance": lambda request: {"reference": request.reference},
    "pack": lambda request: {"reference": request.reference},
    "child_register": lambda request: {"case_id": request.subjects.first().pk},
}


def _walk(patterns, prefix="", namespace=None, needs_args=False):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        takes_args = needs_args or pattern.pattern.regex.groups > 0
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _walk(pattern.url_patterns, route, inner, takes_args)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield "/" + route, name, takes_args


# URLs that are not pages: sign-out takes only a POST; jsi18n is JavaScript; the audit
# export and the list and search exports are CSV; the log page's search-as-you-type
# endpoints answer htmx with a list of results to put into that page; ping answers "ok" in
# plain text (the benchmark's yardstick, bench/load.py).
NOT_PAGES = {"logout", "admin:logout", "admin:jsi18n", "audit_export", "export_home",
             "export_search", "log_request_children", "log_request_requesters", "ping"}


def _pages():
    """(url or url name, who looks at it) for every page we know how to reach."""
    pages = []
    for url, name, takes_args in _walk(get_resolver().url_patterns):
        if name in NOT_PAGES:
            continue
        if takes_args:
            if name in PAGES_NEEDING_A_REQUEST:
                pages.append(pytest.param(name, "council_user", id=name))
            continue
        if re.search(r"[\\()\[\]*+?|]", url):
            continue  # a regular expression we cannot turn into a URL without arguments
        pages.append(pytest.param(url, "admin" if url.startswith("/admin/") else "council_user",
                                  id=url))
    pages.append(pytest.param(reverse("login"), "anonymous", id="anonymous:" + reverse("login")))
    return pages


class _Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1_count = 0
        self.title = ""
        self.html_classes = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self.h1_count += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "html":
            self.html_classes = dict(attrs).get("class") or ""

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def outline(response) -> _Outline:
    parser = _Outline()
    parser.feed(response.content.decode())
    return parser


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


@pytest.fixture
def visit(client, notts, scimt_officer):
    """GET a page as the given kind of visitor; follows redirects."""

    def visit(url_or_name, who):
        if who == "council_user":
            client.force_login(scimt_officer)
        elif who == "admin":
            client.force_login(
                User.objects.create_superuser("platform-admin", password="x" * 20, council=None)
            )
        if url_or_name in PAGES_NEEDING_A_REQUEST:
            request = make_request(notts)
            url = reverse(url_or_name, kwargs=PAGES_NEEDING_A_REQUEST[url_or_name](request))
        else:
            url = url_or_name
        return client.get(url, follow=True)

    return visit


@pytest.mark.parametrize(("url", "who"), _pages())
def test_page_has_exactly_one_h1_and_a_title(visit, url, who):
    response = visit(url, who)

    assert is_html(response), f"{url} is not a page: list it in NOT_PAGES"
    assert response.status_code in (200, 403), f"{url} answered {response.status_code}"
    page = outline(response)
    assert page.h1_count == 1, f"{url} has {page.h1_count} <h1> elements"
    assert page.title.strip(" –-\n"), f"{url} has an empty <title>"


@pytest.mark.parametrize(
    ("url", "who"), [p for p in _pages() if not p.values[0].startswith("/admin/")]
)
def test_every_page_outside_the_admin_uses_the_service_layout(visit, url, who):
    response = visit(url, who)

    assert "govuk-template" in outline(response).html_classes.split(), (
        f"{url} does not extend templates/base.html"
    )


def test_page_not_found_is_in_the_service_style_with_one_h1(client, scimt_officer, settings):
    assert settings.DEBUG is False  # the real 404 page, not Django's debug page
    client.force_login(scimt_officer)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = outline(response)
    assert "govuk-template" in page.html_classes.split()
    assert page.h1_count == 1
    assert "Page not found" in page.title
    assert "Page not found" in response.content.decode()


def test_pages_found_by_walking_the_urls_include_home_sign_in_and_admin():
    """Guards the walker itself: if it found nothing, every test above would pass vacuously."""
    urls = {p.values[0] for p in _pages()}

    assert {reverse("home"), reverse("login"), reverse("admin:index")} <= urls
