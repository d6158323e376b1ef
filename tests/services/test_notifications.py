"""People hear by email when a request reaches them or a decision is made — after the
transaction commits, and with the reference only (no child's details by ordinary email)."""

import pytest
from django.core import mail

from requests_app.services import decisions, intake
from requests_app.services.base import ActionRefused
from tests.services.conftest import closed_electronic, log, log_and_triage


def test_routing_emails_the_csm_it_is_routed_to(people, django_capture_on_commit_callbacks):
    request = log(people["notts.scimt"], closed_electronic("nottinghamshire"))

    with django_capture_on_commit_callbacks(execute=True):
        request = intake.triage(request, people["notts.scimt"])

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [request.routed_to.email]
    assert request.reference in message.subject
    for subject in request.subjects.all():
        assert subject.last_name not in message.body  # no child's name by ordinary email


def test_nothing_is_sent_when_the_action_is_refused(people, django_capture_on_commit_callbacks):
    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionRefused):
        decisions.approve(request, people["notts.sw"], reasons="Not mine to decide.")

    assert mail.outbox == []


def test_allocation_emails_the_worker_and_approval_tells_the_logger(
    people, django_capture_on_commit_callbacks
):
    request = log_and_triage(people["notts.scimt"], closed_electronic("nottinghamshire"))
    csm = request.routed_to

    with django_capture_on_commit_callbacks(execute=True):
        request = decisions.approve(request, csm, reasons="Specific and proportionate.")
    recipients = {address for message in mail.outbox for address in message.to}
    assert request.routed_to.email in recipients  # the team manager, to allocate
    assert people["notts.scimt"].email in recipients  # the decision, to who logged it

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decisions.allocate(request, request.routed_to, worker=people["notts.sw"])
    assert [m.to for m in mail.outbox] == [[people["notts.sw"].email]]
