"""A request's history is written once and never rewritten (ALL-2, BH-11).

Case notes, disclosure decisions and audit events refuse every normal ORM path that would
change or delete them, and on PostgreSQL a trigger refuses raw SQL too. A mistake is put right
by adding a correction that points at the note it corrects.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from requests_app.models import AppendOnlyError, AuditEvent, CaseNote, DisclosureDecision
from requests_app.services.history import add_note, audit
from tests.factories import make_request


def _case_note(request, author):
    return CaseNote.objects.create(
        request=request, author=author, kind=CaseNote.Kind.TRIAGE,
        text="Checked Framework: the family is known to Mansfield.",
    )


def _disclosure_decision(request, author):
    return DisclosureDecision.objects.create(
        request=request, decided_by=author, outcome=DisclosureDecision.Outcome.APPROVED,
        reasons="Necessary and proportionate for the section 47 enquiry.",
    )


def _audit_event(request, author):
    return audit(author, "request.logged", request, request=request, to_state="received")


# kind → (how to record one, a field to try to rewrite, the value to try)
HISTORY = {
    "case note": (_case_note, "text", "Not known to children's social care."),
    "disclosure decision": (_disclosure_decision, "reasons", "No reasons."),
    "audit event": (_audit_event, "action", "request.deleted"),
}


@pytest.fixture(params=list(HISTORY), ids=lambda kind: kind.replace(" ", "_"))
def entry(request, notts, scimt_officer):
    """One recorded entry of each kind of history, with the field a test tries to rewrite."""
    record, field, new_value = HISTORY[request.param]
    return record(make_request(notts, created_by=scimt_officer), scimt_officer), field, new_value


def as_stored(obj):
    return type(obj).objects.filter(pk=obj.pk).values().get()


def test_history_cannot_be_edited_by_saving_it_again(entry):
    obj, field, new_value = entry
    before = as_stored(obj)
    setattr(obj, field, new_value)

    with pytest.raises(AppendOnlyError):
        obj.save()
    with pytest.raises(AppendOnlyError):
        obj.save(update_fields=[field])

    assert as_stored(obj) == before


def test_history_cannot_be_deleted_through_the_instance(entry):
    obj, _field, _value = entry
    before = as_stored(obj)

    with pytest.raises(AppendOnlyError):
        obj.delete()

    assert as_stored(obj) == before


def test_history_cannot_be_changed_by_a_queryset_update(entry):
    obj, field, new_value = entry
    before = as_stored(obj)

    with pytest.raises(AppendOnlyError):
        type(obj).objects.filter(pk=obj.pk).update(**{field: new_value})

    assert as_stored(obj) == before


def test_history_cannot_be_deleted_by_a_queryset_delete(entry):
    obj, _field, _value = entry
    before = as_stored(obj)

    with pytest.raises(AppendOnlyError):
        type(obj).objects.filter(pk=obj.pk).delete()

    assert as_stored(obj) == before


def test_history_cannot_be_changed_by_bulk_update(entry):
    obj, field, new_value = entry
    before = as_stored(obj)
    setattr(obj, field, new_value)

    with pytest.raises(AppendOnlyError):
        type(obj).objects.bulk_update([obj], [field])

    assert as_stored(obj) == before


def test_history_cannot_be_changed_by_update_or_create(entry):
    obj, field, new_value = entry
    before = as_stored(obj)

    with pytest.raises(AppendOnlyError):
        type(obj).objects.update_or_create(pk=obj.pk, defaults={field: new_value})

    assert as_stored(obj) == before


def test_history_cannot_be_changed_through_the_requests_related_manager(notts, scimt_officer):
    request = make_request(notts, created_by=scimt_officer)
    note = _case_note(request, scimt_officer)
    before = as_stored(note)

    with pytest.raises(AppendOnlyError):
        request.case_notes.update(text="Rewritten")
    with pytest.raises(AppendOnlyError):
        request.case_notes.all().delete()

    assert as_stored(note) == before


def test_deleting_a_request_is_refused_while_it_has_history(notts, scimt_officer):
    request = make_request(notts, created_by=scimt_officer)
    note = _case_note(request, scimt_officer)

    with pytest.raises(ProtectedError), transaction.atomic():
        request.delete()

    assert CaseNote.objects.filter(pk=note.pk).exists()


def test_case_note_cannot_be_edited(notts, scimt_officer):
    note = _case_note(make_request(notts, created_by=scimt_officer), scimt_officer)
    note.text = "Not known."

    with pytest.raises(AppendOnlyError, match="add a correction"):
        note.save()

    note.refresh_from_db()
    assert note.text == "Checked Framework: the family is known to Mansfield."


def test_a_correction_is_a_new_note_that_points_at_the_old_one(notts, scimt_officer):
    request = make_request(notts, created_by=scimt_officer)
    [wrong] = add_note(request, scimt_officer, "Known to Ashfield.")

    [correction] = add_note(
        request, scimt_officer, "Correction: known to Mansfield, not Ashfield.",
        kind=CaseNote.Kind.CORRECTION, corrects=wrong,
    )

    wrong.refresh_from_db()
    assert wrong.text == "Known to Ashfield."
    assert correction.pk != wrong.pk
    assert correction.corrects == wrong
    assert list(wrong.corrections.all()) == [correction]
    assert list(request.case_notes.order_by("id")) == [wrong, correction]


# The tables the trigger in migration 0002 guards, and a column to try to rewrite.
TABLES = {
    "case note": (CaseNote, "text"),
    "disclosure decision": (DisclosureDecision, "reasons"),
    "audit event": (AuditEvent, "action"),
}


@pytest.mark.parametrize("kind", list(TABLES), ids=lambda kind: kind.replace(" ", "_"))
def test_postgresql_refuses_a_raw_sql_update_of_history(kind, notts, scimt_officer):
    model, column = TABLES[kind]
    record, _field, _value = HISTORY[kind]
    obj = record(make_request(notts, created_by=scimt_officer), scimt_officer)
    before = as_stored(obj)

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s",
            ["rewritten", obj.pk],
        )

    assert as_stored(obj) == before


@pytest.mark.parametrize("kind", list(TABLES), ids=lambda kind: kind.replace(" ", "_"))
def test_postgresql_refuses_a_raw_sql_delete_of_history(kind, notts, scimt_officer):
    model, _column = TABLES[kind]
    record, _field, _value = HISTORY[kind]
    obj = record(make_request(notts, created_by=scimt_officer), scimt_officer)
    before = as_stored(obj)

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [obj.pk])

    assert as_stored(obj) == before
