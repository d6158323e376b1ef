"""The request page: summary, route and why, timeline, documents, decisions, actions."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from requests_app import access
from requests_app.forms.actions import NoteForm
from requests_app.policy_adapter import policy_for
from requests_app.views.actions import offered_actions
from requests_app.views.corrections import correction_offer
from requests_app.views.request_status import status


def timeline(obj):
    """Case notes and state changes, newest first, for the MOJ timeline."""
    notes = obj.case_notes.select_related("author", "case_record", "corrects")
    # A letter to the requester is filed with its case note: the timeline links to it.
    letters = {_event_key(letter.note): letter
               for letter in obj.letters.select_related("note") if letter.note}
    # One note per subject is written for each event; show each event once.
    seen, events = set(), []
    for note in notes:
        key = _event_key(note)
        if key in seen:
            continue
        seen.add(key)
        note.letter = letters.get(key)
        events.append(note)
    return list(reversed(events))


def _event_key(note):
    return (note.created_at.replace(microsecond=0), note.text)


def request_detail(request, reference: str):
    obj = access.get_request_for_user(request.user, reference)
    snapshot = access.snapshot_for(obj)
    policy = policy_for(obj)
    steps = policy.steps(snapshot)
    done_steps = set(obj.completed_steps)
    actions = offered_actions(obj, request.user)
    can_prepare_pack = not access.pack_problems(request.user, obj)
    today = timezone.localdate()
    return render(request, "requests/detail.html", {
        "obj": obj,
        "subjects": obj.subjects.select_related("allocated_worker", "allocated_team",
                                                 "last_team"),
        "alerts": policy.alerts(snapshot),
        "steps": steps,
        "done_steps": done_steps,
        # Who has it, what happens next, the clock and the dates to show (presentation).
        "status": status(obj, policy, snapshot, steps, done_steps, today),
        "timeline": timeline(obj),
        "decisions": obj.decisions.select_related("decided_by"),
        "documents": obj.documents.select_related("uploaded_by").annotate(
            active_redactions=Count("redactions", filter=Q(redactions__undone_at__isnull=True))
        ),
        "can_work_on_documents": not access.document_problems(request.user, obj),
        "can_prepare_pack": can_prepare_pack,
        "current_pack": obj.packs.order_by("-version").first(),
        "hard_copy_requests": obj.hard_copy_requests.select_related("approver", "sent_by"),
        "retrievals": obj.retrievals.select_related("requested_by", "retrieved_by",
                                                    "returned_by"),
        "actions": actions,
        # Business support's pack is their main job when the policy offers them no other.
        "pack_is_main_job": can_prepare_pack and not any(a.enabled and a.primary
                                                         for a in actions),
        "correction": correction_offer(request.user, obj),
        "amendments": obj.amendments.select_related("amended_by"),
        "can_triage": obj.state == "received" and access.may_log_requests(request.user)
        and access.holds(request.user, obj),
        "can_note": access.is_with(request.user, obj) or obj.created_by_id == request.user.pk,
        "note_form": NoteForm(),
        "redactions": policy.redactions(snapshot),
        "letters": (policy.letters(snapshot, today)
                    if access.may_write_letters(request.user, obj) else ()),
    })
