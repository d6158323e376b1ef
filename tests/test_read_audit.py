"""Every read of personal data is audited, from one place (issue 11 item 1, audit_reads.py).

The URL names are found by walking the resolver, so a page added later fails here until it
is listed in `audit_reads.READS` (and below, with how to reach it) or in `audit_reads.NOT_READS`
with the reason it shows no personal data.
"""

import pytest
from django.test import Client
from django.urls import reverse

from requests_app import audit_reads
from requests_app.models import AuditEvent, Pack, RequestState, User
from requests_app.services import decisions, documents, letters, packs, redaction
from tests.services.conftest import (  # noqa: F401 (fixtures shared with the service tests)
    _demo_rows,
    demo,
    fresh,
    log_and_triage,
    open_case,
)
from tests.test_pages import _walk
from tests.test_redaction_views import RECORD, pdf_upload

pytestmark = pytest.mark.usefixtures("demo")


def person(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def case():
    """A Brighton & Hove request with business support preparing its pack: a text record, an
    uploaded PDF, a redaction undone, a generated pack. Everything a page can show."""
    sw, bs = person("bh.sw"), person("bh.bs")
    request = log_and_triage(person("bh.scimt"), open_case("brighton_hove"),
                             agency_type="health")
    assert request.state == RequestState.WITH_WORKER
    request = decisions.record_decision(request, sw, reasons="Relevant and necessary.")
    record = documents.add_text_record(request, sw, title="Chronology", text=RECORD)
    pdf = documents.upload_document(request, sw, title="School report", upload=pdf_upload())
    undone = redaction.redact_text(record, sw, start=0, end=8, reason="NR")
    redaction.undo(undone, sw)
    request = packs.ask_for_pack(fresh(request), sw, instructions="The chronology.")
    pack = packs.choose_documents(request, bs, documents=[record])
    pack = packs.generate(pack, bs)
    packs.run_generation(pack.pk, str(pack.run_id))
    pack = Pack.objects.get(pk=pack.pk)
    assert pack.status == Pack.Status.READY
    letter = letters.issue_letter(fresh(request), person("bh.scimt"), "acknowledgement")
    return {"request": fresh(request), "record": record, "pdf": pdf, "pack": pack,
            "undone": undone, "note": request.case_notes.first(),
            "child": request.subjects.first(), "letter": letter}


def _request(c):
    return {"reference": c["request"].reference}


def _doc(key):
    return lambda c: {**_request(c), "pk": c[key].pk}


def _pack(c):
    return {**_request(c), "version": c["pack"].version}


# url name → (who, method, kwargs from the case, form data, what the event is about).
# "about" is "request", "document:<key>" or "pack". POST-only pages are read when a refusal
# shows the page again (422), so their data is something the service refuses.
HOW_TO_READ = {
    "home": ("bh.bs", "get", None, None, None),
    "log_request": ("bh.scimt", "post", None, {"child_q": "Dunn", "search": "children"},
                    None),
    "log_request_children": ("bh.scimt", "get", None, {"child_q": "Dunn"}, None),
    "log_request_requesters": ("bh.scimt", "get", None, {"requester_q": "Adler"}, None),
    "search": ("bh.scimt", "get", None, {"q": "Dunn"}, None),
    "export_home": ("bh.bs", "get", None, {"view": "all"}, None),
    "export_search": ("bh.scimt", "get", lambda c: {"group": "requests"}, {"q": "Dunn"}, None),
    "request_detail": ("bh.bs", "get", _request, None, "request"),
    "triage": ("bh.scimt", "get", _request, None, "request"),
    "add_note": ("bh.bs", "get", _request, None, "request"),
    "correct_note": ("bh.bs", "get", lambda c: {**_request(c), "corrects": c["note"].pk},
                     None, "request"),
    "correct_request": ("bh.sw", "get", _request, None, "request"),
    "act": ("bh.sw", "get", lambda c: {**_request(c), "action": "pause"}, None, "request"),
    "document_add": ("bh.bs", "get", _request, None, "request"),
    "document_text_add": ("bh.bs", "get", _request, None, "request"),
    "document_consent": ("bh.bs", "get", _doc("pdf"), None, "document:pdf"),
    "document_download": ("bh.sw", "get", _doc("pdf"), None, "document:pdf"),
    "document_detail": ("bh.sw", "get", _doc("record"), None, "document:record"),
    "document_page_image": ("bh.sw", "get", lambda c: {**_doc("pdf")(c), "page": 1}, None,
                            "document:pdf"),
    "redact": ("bh.bs", "post", _doc("record"), {"reason": ""}, "document:record"),
    # Refused once the pack holding the document is finalised (see `prepare`).
    "redaction_undo": ("bh.bs", "post", lambda c: {**_doc("record")(c),
                                                   "rid": c["undone"].pk}, {},
                       "document:record"),
    "suggestion_accept": ("bh.bs", "post", _doc("record"), {}, "document:record"),
    "suggestion_reject": ("bh.bs", "post", _doc("record"), {}, "document:record"),
    "redact_every_instance": ("bh.bs", "post", _request,
                              "every", "request"),
    "pack": ("bh.bs", "get", _request, None, "request"),
    "pack_choose": ("bh.bs", "post", _request, {}, "request"),
    "pack_new_version": ("bh.bs", "post", _request, {}, "request"),
    "pack_step": ("bh.bs", "post", lambda c: {**_pack(c), "step": "second-check"}, {},
                  "pack"),
    "pack_download": ("bh.bs", "get", _pack, None, "pack"),
    # Information governance: the audit trail, its export, a child's disclosure register.
    "audit_log": ("bh.ig", "get", None, {"kind": "packs"}, None),
    "audit_export": ("bh.ig", "get", None, {"kind": "packs"}, None),
    "child_register": ("bh.ig", "get", lambda c: {"case_id": c["child"].pk}, None, "child"),
    "notifications": ("bh.bs", "get", None, None, None),
    "letter_download": ("bh.bs", "get", lambda c: {**_request(c), "letter": c["letter"].pk},
                        None, "request"),
    "report": ("bh.csm", "get", lambda c: {"slug": "received"}, None, None),
    "report_csv": ("bh.ig", "get", lambda c: {"slug": "refusals"}, None, None),
}


def finalise_the_pack(case):
    pack = case["pack"]
    packs.finalise(pack, person("bh.bs"),
                   reviewed_pending=sum(n for _, n in packs.pending_suggestions(pack)))


# Anything a page needs first, so that reading it shows the page.
PREPARE = {"redaction_undo": finalise_the_pack}


def _url_names():
    return {name for _, name, _ in _walk(__import__("django.urls").urls.get_resolver()
                                         .url_patterns) if name}


def test_every_url_of_the_app_is_either_audited_when_read_or_exempt_with_a_reason():
    names = {n for n in _url_names() if not n.startswith("admin:")}
    unclassified = names - set(audit_reads.READS) - set(audit_reads.NOT_READS)

    assert not unclassified, (
        f"{sorted(unclassified)}: add each to audit_reads.READS (it shows personal data) or "
        "to audit_reads.NOT_READS with the reason it does not")
    assert all(reason.strip() for reason in audit_reads.NOT_READS.values())
    assert set(audit_reads.READS) <= names, "READS lists a URL name that no longer exists"
    assert set(HOW_TO_READ) == set(audit_reads.READS), (
        "say in HOW_TO_READ how to read each audited page, so this test reads it")


def test_a_url_nobody_classified_is_still_audited_when_read():
    assert audit_reads.action_for("some_new_page") == audit_reads.UNCLASSIFIED
    assert audit_reads.action_for("pack_progress") is None
    assert audit_reads.action_for("anything", ["admin"]) == "admin.viewed"


def _about(event, case, about):
    if about is None:
        return event.request_id is None
    if about == "child":  # the child's record, not any one request about them
        return event.request_id is None and (event.object_type, event.object_id) == (
            "requests_app.CaseRecord", str(case["child"].pk))
    if event.request_id != case["request"].pk:
        return False
    if about == "request":
        return (event.object_type, event.object_id) == ("requests_app.InformationRequest",
                                                        str(case["request"].pk))
    if about == "pack":
        return (event.object_type, event.object_id) == ("requests_app.Pack",
                                                        str(case["pack"].pk))
    document = case[about.split(":")[1]]
    return (event.object_type, event.object_id) == ("requests_app.Document", str(document.pk))


@pytest.mark.parametrize("name", sorted(HOW_TO_READ))
def test_reading_a_page_that_shows_personal_data_writes_one_read_event(client, case, name):
    who, method, kwargs, data, about = HOW_TO_READ[name]
    actor = person(who)
    client.force_login(actor)
    url = reverse(name, kwargs=kwargs(case) if kwargs else None)
    if data == "every":  # the preview: every match of a term, not yet redacted
        data = {"documents": [case["record"].pk], "term": "Janet", "reason": "TP"}
    if name in PREPARE:
        PREPARE[name](case)
    before = AuditEvent.objects.count()

    response = getattr(client, method)(url, data or {})

    assert response.status_code in (200, 422), f"{name}: {response.status_code}"
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 1, [e.action for e in events]
    event = events[0]
    assert event.action == audit_reads.READS[name]
    assert event.detail["kind"] == "read" and event.detail["url_name"] == name
    assert event.actor == actor and event.council_id == actor.council_id
    assert _about(event, case, about), (event.request_id, event.object_type, event.object_id)


def test_a_download_records_which_file_went(client, case):
    client.force_login(person("bh.bs"))

    client.get(reverse("pack_download", kwargs=_pack(case)))
    client.get(reverse("document_download", kwargs=_doc("record")(case)))

    pack_event = AuditEvent.objects.get(action="pack.download")
    document_event = AuditEvent.objects.get(action="document.download")
    assert pack_event.detail["sha256"] == case["pack"].sha256
    assert pack_event.detail["version"] == case["pack"].version
    assert document_event.detail["title"] == "Chronology"


def test_an_outsider_is_refused_and_the_attempt_is_audited_without_linking_the_request(
        client, case):
    outsider = person("notts.scimt")
    client.force_login(outsider)

    response = client.get(reverse("document_detail", kwargs=_doc("record")(case)))

    assert response.status_code == 404
    event = AuditEvent.objects.get(action=audit_reads.REFUSED)
    assert event.actor == outsider and event.council_id == outsider.council_id
    assert event.request_id is None  # another council's request is never linked
    assert event.detail["reference"] == case["request"].reference
    assert event.detail["would_be"] == "document.viewed"
    assert event.detail["status"] == 404


def test_someone_who_may_look_but_not_act_is_refused_an_action_page_and_it_is_audited(
        client, case):
    worker = person("bh.sw")  # the pack is with business support now
    client.force_login(worker)

    response = client.get(reverse("act", kwargs={**_request(case), "action": "send_pack"}))

    assert response.status_code == 403
    event = AuditEvent.objects.get(action=audit_reads.REFUSED)
    assert event.request_id == case["request"].pk and event.detail["action"] == "send_pack"


def test_signed_out_visitors_are_sent_to_sign_in_and_nothing_is_audited(client, case):
    response = client.get(reverse("request_detail", kwargs=_request(case)))

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(detail__kind__startswith="read").exists()


def test_a_redirect_after_a_change_is_not_a_read_and_the_exempt_poll_writes_nothing(
        client, case):
    client.force_login(person("bh.bs"))
    before = AuditEvent.objects.count()

    client.get(reverse("pack_progress", kwargs=_pack(case)))

    assert AuditEvent.objects.count() == before


def test_a_nul_byte_in_the_address_does_not_stop_the_attempt_being_audited(case):
    client = Client(raise_request_exception=False)
    client.force_login(person("bh.bs"))

    response = client.get("/requests/BH%00X/")

    assert response.status_code in (400, 404, 500)
    if response.status_code != 400:
        event = AuditEvent.objects.get(action__in=[audit_reads.REFUSED, audit_reads.FAILED])
        assert event.detail["reference"] == "BHX" and event.request_id is None


def test_the_home_page_read_is_audited_with_the_council_and_no_request(client, case):
    user = person("bh.bs")
    client.force_login(user)

    client.get(reverse("home"))

    event = AuditEvent.objects.get(action="home.viewed")
    assert event.council_id == user.council_id and event.request_id is None


def test_read_audit_counts():
    """The number of URL patterns whose reads are checked above (for the issue's report)."""
    assert len(HOW_TO_READ) == len(audit_reads.READS) == 36


def test_the_benchmarks_ping_page_writes_no_read_event_and_shows_nobody(client, scimt_officer):
    client.force_login(scimt_officer)
    before = AuditEvent.objects.count()
    response = client.get(reverse("ping"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert audit_reads.action_for("ping") is None
    assert AuditEvent.objects.count() == before
