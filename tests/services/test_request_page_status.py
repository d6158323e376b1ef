"""The request page says where a request is: a coloured tag by state family, who has it and
what happens next, the clock (running, paused since when and why, extended by how many working
days), the dates the council's policy shows side by side (BH-7), and each council's own name
for its people's roles (issue 13, item 2)."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app.models import ClockPause
from requests_app.services import clock, decisions, packs
from tests.services.conftest import fresh, log, log_and_triage, open_case

pytestmark = pytest.mark.usefixtures("demo")


def page(client, user, request) -> str:
    client.force_login(user)
    response = client.get(reverse("request_detail", args=[request.reference]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def state_tag(shown: str) -> str:
    return re.search(r'<strong class="govuk-tag ([^"]*) app-state-tag">', shown).group(1)


@pytest.fixture
def with_worker(people):
    """An open Nottinghamshire case with Sophie Walker."""
    return log_and_triage(people["notts.scimt"], open_case("nottinghamshire"))


def test_a_request_being_worked_on_says_who_has_it_and_that_the_clock_runs(
        client, people, with_worker):
    shown = page(client, people["notts.sw"], with_worker)

    assert "govuk-tag--light-blue" in state_tag(shown)
    assert "<strong>With Sophie Walker.</strong> Next:" in shown
    assert re.search(r"Clock running: \d+ working days? left", shown)
    assert "Clock paused" not in shown


def test_a_paused_request_says_since_when_and_why_instead_of_the_days_left(
        client, people, with_worker):
    sw = people["notts.sw"]
    clock.pause(with_worker, sw, reason="Waiting for the mother's consent.")
    started = timezone.localdate() - timedelta(days=7)
    ClockPause.objects.filter(request=with_worker).update(started_on=started)

    shown = page(client, sw, fresh(with_worker))

    assert "govuk-tag--yellow" in state_tag(shown)
    assert ">With the practitioner<" in shown  # the state itself is still named
    assert "Clock paused</strong>" in shown
    assert (f"The clock has been paused since {started:%-d %B %Y}: Waiting for the mother's "
            "consent.") in shown
    assert "working days left" not in shown
    assert re.search(r"Paused for [1-5] working days in all so far", shown)


def test_an_extended_request_says_by_how_many_working_days_and_why(
        client, people, with_worker):
    sw = people["notts.sw"]
    clock.extend(with_worker, sw, days=5, reason="The records are on microfilm.")

    shown = page(client, sw, fresh(with_worker))

    assert "Extended by 5 working days: The records are on microfilm." in shown
    assert re.search(r"Clock running: \d+ working days left", shown)
    assert "govuk-tag--light-blue" in state_tag(shown)


def test_the_extension_form_asks_for_working_days(client, people, with_worker):
    client.force_login(people["notts.sw"])

    response = client.get(reverse("act", args=[with_worker.reference, "extend"]))

    assert "Extend by how many working days?" in response.content.decode()


def test_a_new_request_is_blue_and_waits_for_the_councils_own_front_door(client, people):
    request = log(people["bh.scimt"], open_case("brighton_hove"), agency_type="health")

    shown = page(client, people["bh.scimt"], request)

    assert "govuk-tag--blue" in state_tag(shown)
    assert "Waiting for triage (Front Door for Families practitioner)." in shown
    assert "SCIMT" not in shown


def test_brighton_and_hove_subject_access_shows_the_statutory_month_and_the_40_days(
        client, people):
    request = log(people["bh.scimt"], open_case("brighton_hove"), agency_type="health",
                  request_type="subject_access", channel="letter")
    received = request.received_at.date()

    shown = page(client, people["bh.scimt"], request)

    dates = re.findall(r'app-due-dates__date">([^<]+)</span><span class="govuk-body-s">([^<]+)<',
                       shown)
    labels = [label for _, label in dates]
    assert len(dates) == 2, dates
    assert "One calendar month (statutory)" in labels[0]
    assert "40 days" in labels[1] and "BH-7" in labels[1]
    forty = received + timedelta(days=40)
    assert dates[1][0] == f"{forty:%-d %B %Y}"


def test_other_councils_show_one_due_date(client, people, with_worker):
    shown = page(client, people["notts.sw"], with_worker)

    assert shown.count("app-due-dates__date") == 1


@pytest.mark.parametrize(("username", "label"), [
    ("devon.scimt", "Access to Information officer (first contact)"),
    ("camden.scimt", "Children and Families Contact Service officer"),
    ("bh.scimt", "Front Door for Families practitioner"),
    ("notts.scimt", "SCIMT officer"),
])
def test_the_front_door_is_labelled_with_the_councils_own_name_for_the_role(
        client, people, username, label):
    client.force_login(people[username])

    shown = html.unescape(client.get(reverse("home")).content.decode())

    assert f'<span class="app-header__user-detail">{label}</span>' in shown
    if not username.startswith("notts"):
        assert "SCIMT officer" not in shown


def test_business_supports_pack_is_their_next_job_at_the_top(client, people):
    sw, bs = people["bh.sw"], people["bh.bs"]
    request = log_and_triage(people["bh.scimt"], open_case("brighton_hove"),
                             agency_type="health")
    request = decisions.record_decision(request, sw, reasons="Relevant and necessary.")
    request = packs.ask_for_pack(fresh(request), sw, instructions="The chronology.")

    shown = page(client, bs, fresh(request))

    job = shown[shown.index('id="next-job-heading"'):shown.index(">Summary<")]
    buttons = re.findall(r'<a class="govuk-button([^"]*)" href="[^"]+">([^<]+)</a>', job)
    # The main job first, so it is seen and tabbed to first (WCAG 2.4.3).
    assert buttons[0] == (" govuk-!-margin-bottom-0", "Prepare the disclosure pack")


def test_the_main_next_job_is_the_first_button_before_the_other_offers(client, people):
    """WCAG 2.4.3: the primary job comes first in the button group, so it is seen and tabbed
    to first; the worker's other offers (asking for the pack, declining) follow it."""
    request = log_and_triage(people["devon.scimt"], open_case("devon"), agency_type="cafcass")

    shown = page(client, people["devon.sw"], request)

    job = shown[shown.index('id="next-job-heading"'):shown.index(">Summary<")]
    buttons = re.findall(r'<a class="govuk-button([^"]*)" href="[^"]+">([^<]+)</a>', job)
    assert buttons[0] == (" govuk-!-margin-bottom-0", "Record decision to share")
    assert "Ask business support to prepare the pack" in [label for _, label in buttons[1:]]
    assert all("govuk-button--secondary" in classes or "--warning" in classes
               for classes, _ in buttons[1:])


def test_a_workers_pack_comes_first_when_it_is_their_main_job(client, people):
    """Record disclosure is held back (ALL-5: a third party's document without consent), so
    preparing the pack is the worker's main job: it comes before their other offers."""
    from requests_app.services import documents

    sw = people["notts.sw"]
    request = log_and_triage(people["notts.scimt"], open_case("nottinghamshire"),
                             agency_type="cafcass")
    request = decisions.record_decision(request, sw, reasons="Relevant and necessary.")
    documents.add_text_record(fresh(request), sw, title="GP letter", text="Seen by the GP.",
                              is_third_party=True, author_name="Dr Marsh")

    shown = page(client, sw, fresh(request))

    job = shown[shown.index('id="next-job-heading"'):shown.index(">Summary<")]
    buttons = re.findall(r'<a class="govuk-button([^"]*)" href="[^"]+">([^<]+)</a>', job)
    assert buttons[0] == (" govuk-!-margin-bottom-0", "Prepare the disclosure pack")
    assert "Record disclosure" not in [label for _, label in buttons]


def test_hard_copies_waiting_for_approval_say_who_approves_them(client, people):
    """The holder line reads the newest hard-copy request among those the page loaded."""
    from requests_app.models import HardCopyRequest
    from requests_app.services import hard_copies
    from tests.services.test_hard_copies import ITEMS, disclosed_case

    disclosed = disclosed_case(people)
    HardCopyRequest.objects.create(request=disclosed, items="An older list",
                                   requested_by=people["notts.sw"],
                                   approver=people["notts.scimt"])
    asked = hard_copies.request_hard_copies(disclosed, people["notts.sw"], items=ITEMS)
    approver = HardCopyRequest.objects.filter(request=asked).latest("pk").approver
    assert approver != people["notts.scimt"]

    shown = page(client, people["notts.sw"], fresh(asked))

    assert f"With {approver}, to approve or refuse the hard copies" in shown
