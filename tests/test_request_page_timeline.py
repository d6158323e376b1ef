"""The request page's case notes and history: each entry as written, escaped, with its rules
and the way to correct it (written by a template tag: requests_app/templatetags)."""

from django.urls import reverse

from requests_app.services.history import add_note
from tests.factories import make_request


def test_a_note_is_shown_as_text_with_its_line_breaks_rules_and_correction_link(
        client, notts, scimt_officer):
    request = make_request(notts, created_by=scimt_officer)
    note, = add_note(request, scimt_officer, 'Called <b>"DC Doe"</b>\r\nSecond line',
                     rule_ids=["NOTTS-1.2", "ALL-3"])
    client.force_login(scimt_officer)

    page = client.get(reverse("request_detail", args=[request.reference])).content.decode()

    assert "Called &lt;b&gt;&quot;DC Doe&quot;&lt;/b&gt;<br>Second line" in page
    assert "<b>" not in page.split('id="history"')[1]
    assert "Rules: NOTTS-1.2, ALL-3" in page
    assert reverse("correct_note", args=[request.reference, note.pk]) in page
    # The title and byline are inline: a space (here a line break) must separate them.
    assert f'</h3>\n<p class="moj-timeline__byline">by {scimt_officer}</p>' in page


def test_a_correction_says_it_corrects_an_earlier_note_and_is_not_itself_corrected(
        client, notts, scimt_officer):
    request = make_request(notts, created_by=scimt_officer)
    note, = add_note(request, scimt_officer, "Checked the records.")
    client.force_login(scimt_officer)
    assert reverse("correct_note", args=[request.reference, note.pk]) in client.get(
        reverse("request_detail", args=[request.reference])).content.decode()

    correction, = add_note(request, scimt_officer, "A correction.", kind="correction",
                           corrects=note)
    page = client.get(reverse("request_detail", args=[request.reference])).content.decode()

    assert "(corrects an earlier note)" in page
    assert reverse("correct_note", args=[request.reference, correction.pk]) not in page
