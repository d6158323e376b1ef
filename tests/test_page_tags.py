"""The frame's and a request page's links are reversed once per process (page_tags.route):
each is what `{% url %}` gives, under whatever script prefix the site is served."""

from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from requests_app.templatetags.page_tags import route


def test_a_link_with_arguments_is_what_url_reverses():
    assert route("act", "NOTTS-2026-000123", "pause") == reverse(
        "act", args=["NOTTS-2026-000123", "pause"])
    assert route("document_download", "NOTTS-2026-000123", 7) == (
        "/requests/NOTTS-2026-000123/documents/7/download/")
    assert route("home") == "/"


def test_a_kept_link_follows_the_script_prefix_it_was_served_under():
    set_script_prefix("/records/")
    try:
        assert route("act", "DEVON-2026-000001", "close") == (
            "/records/requests/DEVON-2026-000001/close/")
    finally:
        clear_script_prefix()
    assert route("act", "DEVON-2026-000001", "close") == "/requests/DEVON-2026-000001/close/"


def test_the_template_tag_escapes_and_can_be_kept_in_a_variable():
    rendered = Template(
        "{% load page_tags %}<a href=\"{% route 'pack' ref %}\">"
        "{% route 'add_note' ref as note_url %}{{ note_url }}</a>").render(
        Context({"ref": "CAMDEN-2026-000009"}))

    assert rendered == ('<a href="/requests/CAMDEN-2026-000009/pack/">'
                        "/requests/CAMDEN-2026-000009/notes/new/</a>")
