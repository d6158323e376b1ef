"""Disclosure packs: choose documents, generate in the background, finalise, second-check, send.

A pack version moves draft → queued → generating → ready → finalised → sent (or failed, and
back to queued on retry). A run is owned by its `run_id`: a retried or superseded run can never
mark the pack ready, and a killed run is seen as stalled (no heartbeat) and can be retried.
Once finalised a version is immutable; a change makes a new version.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from policies.base import Action, SendDetails
from requests_app import access
from requests_app.models import CaseNote, Document, Pack, PackItem, Role
from requests_app.services import pack_contents
from requests_app.services.base import ActionRefused, complete, lock, take
from requests_app.services.facts import apply_facts
from requests_app.services.history import add_note, audit

log = logging.getLogger(__name__)
S = Pack.Status
# A generating run writes a heartbeat at least every few seconds; one silent this long died.
STALLED_AFTER = timedelta(minutes=2)
# A queued run nobody picked up this long after queueing: is the worker running?
UNCLAIMED_AFTER = timedelta(minutes=5)


def current(request) -> Pack | None:
    return request.packs.order_by("-version").first()


def stalled(pack: Pack, now=None) -> bool:
    now = now or timezone.now()
    if pack.status == S.GENERATING:
        return (now - (pack.heartbeat_at or pack.queued_at or now)) > STALLED_AFTER
    if pack.status == S.QUEUED:
        return (now - (pack.queued_at or now)) > UNCLAIMED_AFTER
    return False


def is_stale(pack: Pack) -> bool:
    """A generated pack whose documents or redactions have changed since."""
    return pack.status == S.READY and pack.fingerprint != pack_contents.fingerprint(pack)


def _check(user, request):
    problems = access.pack_problems(user, request)
    if problems:
        raise ActionRefused(problems)


def _locked_pack(request, pack_id) -> Pack:
    return Pack.objects.select_for_update().get(pk=pack_id, request=request)


# ---- choosing and versions ---------------------------------------------------------------


def choose_documents(request, user, *, documents, http_request=None) -> Pack:
    """Set which documents (in order) go in the pack being prepared."""
    documents = list(documents)
    if not documents:
        raise ActionRefused(["Select at least one document for the pack."])
    if any(d.request_id != request.pk or d.is_disclosure_copy for d in documents):
        raise ActionRefused(["Choose from this request's documents."])
    with transaction.atomic():
        request = lock(request)
        _check(user, request)
        pack = current(request)
        if pack is None:
            pack = Pack.objects.create(request=request, version=1, created_by=user)
        else:
            pack = _locked_pack(request, pack.pk)
            if pack.locked:
                raise ActionRefused([f"Version {pack.version} is {pack.get_status_display()
                                     .lower()}: start a new version to change it."])
            if pack.status in (S.QUEUED, S.GENERATING) and not stalled(pack):
                raise ActionRefused(["The pack is being generated: wait for it to finish."])
        pack.items.all().delete()
        PackItem.objects.bulk_create(
            PackItem(pack=pack, document=d, position=i) for i, d in enumerate(documents)
        )
        pack.status = S.DRAFT
        pack.save(update_fields=["status"])
        audit(user, "pack.choose", pack, request=request, http_request=http_request,
              detail={"documents": [d.pk for d in documents], "version": pack.version})
        return pack


def new_version(request, user, *, http_request=None) -> Pack:
    """A change after finalising: a new draft with the same documents."""
    with transaction.atomic():
        request = lock(request)
        _check(user, request)
        latest = current(request)
        if latest is None or not latest.locked:
            raise ActionRefused(["There is no finalised pack to make a new version of."])
        pack = Pack.objects.create(request=request, version=latest.version + 1, created_by=user)
        PackItem.objects.bulk_create(
            PackItem(pack=pack, document_id=item.document_id, position=item.position)
            for item in latest.items.all()
        )
        add_note(request, user, f"Pack version {pack.version} started from version "
                 f"{latest.version}.", kind=CaseNote.Kind.PACK)
        audit(user, "pack.new_version", pack, request=request, http_request=http_request,
              detail={"from_version": latest.version})
        return pack


# ---- generation ----------------------------------------------------------------------------


def generate(pack: Pack, user, *, http_request=None) -> Pack:
    """Queue a run (first time, after a change, after a failure, or when a run stalled)."""
    from requests_app.tasks import generate_pack

    with transaction.atomic():
        request = lock(pack.request)
        _check(user, request)
        pack = _locked_pack(request, pack.pk)
        if pack.locked:
            raise ActionRefused([f"Version {pack.version} is finalised: start a new version."])
        if pack.status in (S.QUEUED, S.GENERATING) and not stalled(pack):
            raise ActionRefused(["The pack is already being generated."])
        if not pack.items.exists():
            raise ActionRefused(["Select at least one document for the pack."])
        pack.status, pack.run_id, pack.queued_at = S.QUEUED, uuid.uuid4(), timezone.now()
        pack.heartbeat_at, pack.error, pack.attempts = None, "", pack.attempts + 1
        pack.progress_done, pack.progress_total, pack.progress_label = 0, 0, "Waiting to start"
        pack.save()
        audit(user, "pack.generate", pack, request=request, http_request=http_request,
              detail={"version": pack.version, "attempt": pack.attempts})
        run_id = str(pack.run_id)
        transaction.on_commit(lambda: generate_pack.enqueue(pack.pk, run_id))
        return pack


class Superseded(Exception):
    """This run no longer owns the pack (it was retried or changed): stop quietly."""


def run_generation(pack_id: int, run_id: str) -> None:
    """The background task's body. Never leaves a pack marked ready unless its file is whole."""
    from requests_app.packs.build import build_pack

    with transaction.atomic():
        pack = Pack.objects.select_for_update().get(pk=pack_id)
        if str(pack.run_id) != run_id or pack.status not in (S.QUEUED, S.GENERATING):
            return
        pack.status, pack.heartbeat_at = S.GENERATING, timezone.now()
        pack.progress_label = "Reading the documents"
        pack.save(update_fields=["status", "heartbeat_at", "progress_label"])
    owned = Pack.objects.filter(pk=pack_id, run_id=run_id, status=S.GENERATING)
    last = [0.0]

    def progress(done, total, label=""):
        now = time.monotonic()
        if now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        if not owned.update(progress_done=done, progress_total=total,
                            progress_label=str(label)[:200], heartbeat_at=timezone.now()):
            raise Superseded()

    sweep_pack_work()
    # Everything temporary for this run (raster spill file, the pack before it is stored) lives
    # in one folder named after the run, removed when the run ends however it ends; a run killed
    # outright leaves it for the next run's sweep.
    work = work_root() / run_id
    work.mkdir(parents=True, exist_ok=True)
    tmp_path = work / "pack.pdf"
    try:
        pack = Pack.objects.select_related("request__requester", "created_by").get(pk=pack_id)
        fingerprint = pack_contents.fingerprint(pack)
        spec = pack_contents.build_spec(pack)
        result = build_pack(spec, tmp_path, progress=progress)
        contents = pack_contents.contents_record(pack, spec, result)
        with transaction.atomic():
            pack = Pack.objects.select_for_update().get(pk=pack_id)
            if str(pack.run_id) != run_id or pack.status != S.GENERATING:
                raise Superseded()
            old_name = pack.file.name
            with open(tmp_path, "rb") as handle_:
                pack.file.save("pack.pdf", _Finished(handle_, tmp_path), save=False)
            if old_name:
                pack.file.storage.delete(old_name)
            pack.sha256, pack.size, pack.page_count = result.sha256, result.size, result.page_count
            pack.contents, pack.fingerprint = contents, fingerprint
            pack.generated_at, pack.status = timezone.now(), S.READY
            pack.progress_done = pack.progress_total = max(pack.progress_total, 1)
            pack.progress_label = "Ready"
            pack.save()
            audit(None, "pack.generated", pack, request=pack.request,
                  detail={"version": pack.version, "sha256": result.sha256,
                          "pages": result.page_count})
    except Superseded:
        log.info("Pack %s run %s superseded", pack_id, run_id)
    except Exception as error:
        log.exception("Pack %s run %s failed", pack_id, run_id)
        Pack.objects.filter(pk=pack_id, run_id=run_id).exclude(status=S.READY).update(
            status=S.FAILED, error=_plain(error), heartbeat_at=timezone.now())
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


class _Finished(File):
    """The built pack, offered to storage as a file it may move rather than copy: the work
    folder is under MEDIA_ROOT, so file-system storage renames it (no second copy of a pack
    of several hundred MB, and none half-written if the run is killed while storing it)."""

    def __init__(self, file, path: Path):
        super().__init__(file)
        self._path = path

    def temporary_file_path(self) -> str:
        return str(self._path)


def work_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "pack-work"


def sweep_pack_work() -> list[str]:
    """Remove what killed runs left: their work folders, and pack files copied into storage by a
    run that died before it could record them. Runs still alive (queued or generating, with a
    recent heartbeat) keep theirs. Returns the names removed."""
    root = work_root()
    folders = {p.name: p for p in root.iterdir() if p.is_dir()} if root.is_dir() else {}
    try:
        stored = default_storage.listdir("packs")[1]
    except FileNotFoundError:
        stored = []
    # Pack files are named after their run (Pack.file's upload_to), so both kinds of leftover
    # can be matched to the run that made them.
    copies = {name.removesuffix(".pdf"): name for name in stored}
    run_ids = set(folders) | set(copies)
    if not run_ids:
        return []
    alive = set()
    for pack in Pack.objects.filter(status__in=(S.QUEUED, S.GENERATING)).only(
            "run_id", "status", "heartbeat_at", "queued_at"):
        if not stalled(pack):
            alive.add(pack.run_id.hex)
            alive.add(str(pack.run_id))
    referenced = {PurePath(name).name for name in (
        *Pack.objects.exclude(file="").values_list("file", flat=True),
        *Document.objects.filter(file__startswith="packs/").values_list("file", flat=True))}
    removed = []
    for run_id, folder in folders.items():
        if run_id not in alive:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(f"pack-work/{run_id}")
    for run_id, name in copies.items():
        if run_id not in alive and name not in referenced and _is_run_name(run_id):
            default_storage.delete(f"packs/{name}")
            removed.append(f"packs/{name}")
    if removed:
        log.warning("Removed leftovers of killed pack runs: %s", ", ".join(removed))
    return removed


def _is_run_name(stem: str) -> bool:
    # Only names this code makes (a run's UUID); anything else in the folder is not ours to
    # delete.
    try:
        return uuid.UUID(stem).hex == stem
    except ValueError:
        return False


def _plain(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return f"The pack could not be generated: {text[:500]}"


# ---- finalising, second check, sending ---------------------------------------------------


def pending_suggestions(pack: Pack) -> list[tuple[Document, int]]:
    """The pack's documents with redaction suggestions neither accepted nor rejected, and how
    many each has (the same list the redaction screen shows)."""
    from requests_app.services import redaction

    out = []
    for item in pack.items.select_related("document").order_by("position"):
        count = len(redaction.suggestions(item.document))
        if count:
            out.append((item.document, count))
    return out


def pending_sentence(pending: list[tuple[Document, int]]) -> str:
    total = sum(n for _, n in pending)
    each = "; ".join(f"'{d.title}': {n}" for d, n in pending)
    return (f"{total} redaction suggestion{'s' if total != 1 else ''} "
            f"{'was' if total == 1 else 'were'} neither accepted nor rejected ({each})")


def finalise(pack: Pack, user, *, reviewed_pending: int | None = None,
             http_request=None) -> Pack:
    """The person preparing the pack has checked the generated file: fix this version.

    Suggestions still neither accepted nor rejected stop it unless the person confirms they
    reviewed that many (``reviewed_pending``) and finalises anyway; the case note says so."""
    with transaction.atomic():
        request = lock(pack.request)
        _check(user, request)
        pack = _locked_pack(request, pack.pk)
        if pack.status != S.READY:
            raise ActionRefused(["Generate the pack and check it before finalising."])
        if is_stale(pack):
            raise ActionRefused(["Documents or redactions changed after the pack was generated: "
                                 "generate it again, then check it."])
        pending = pending_suggestions(pack)
        total = sum(n for _, n in pending)
        if total and reviewed_pending != total:
            raise ActionRefused([
                f"{pending_sentence(pending)}. Accept or reject each on the document's "
                "redaction page, or confirm you have reviewed them and finalise anyway."])
        pack.status, pack.finalised_by, pack.finalised_at = S.FINALISED, user, timezone.now()
        pack.save(update_fields=["status", "finalised_by", "finalised_at"])
        complete(request, Action.REDACT)
        request.save(update_fields=["completed_steps", "updated_at"])
        add_note(request, user, f"Disclosure pack version {pack.version} finalised: "
                 f"{pack.page_count} pages, SHA-256 {pack.sha256}."
                 + (f" {pending_sentence(pending)}; {user.get_full_name() or user.username} "
                    "reviewed them and finalised anyway." if total else ""),
                 kind=CaseNote.Kind.PACK)
        audit(user, "pack.finalise", pack, request=request, http_request=http_request,
              detail={"version": pack.version, "sha256": pack.sha256,
                      "pending_suggestions": {str(d.pk): n for d, n in pending}})
        return pack


def second_check_rules(request) -> tuple[str, ...]:
    """The council's rule for a second check of the pack (BH-8), or () where there is none."""
    from policies.registry import get_policy

    return get_policy(request.council.slug).pack_second_check(access.snapshot_for(request))


def second_check(pack: Pack, user, *, http_request=None) -> Pack:
    """Someone other than who packed it checks the right contents go to the right place."""
    with transaction.atomic():
        request = lock(pack.request)
        pack = _locked_pack(request, pack.pk)
        rules = second_check_rules(request)
        if not rules:
            raise ActionRefused(["This council's rules ask for no second check of the pack."])
        if access.document_problems(user, request):
            raise ActionRefused(access.document_problems(user, request))
        if pack.status != S.FINALISED:
            raise ActionRefused(["Only a finalised pack is second-checked."])
        if pack.finalised_by_id == user.pk:
            raise ActionRefused([f"{rules[0]}: You prepared this pack; someone else must "
                                 "second-check it."])
        pack.second_checked_by, pack.second_checked_at = user, timezone.now()
        pack.save(update_fields=["second_checked_by", "second_checked_at"])
        add_note(request, user, f"Pack version {pack.version} second-checked before sending.",
                 kind=CaseNote.Kind.PACK, rule_ids=list(rules))
        audit(user, "pack.second_check", pack, request=request, http_request=http_request)
        return pack


def send(request, user, *, method: str, sent_to: str, address_confirmed: bool,
         http_request=None, **facts):
    """Send the finalised pack: the council's send gates (consent or confirmed redaction for
    each third-party document, checks, hard-copy approval, a method the council allows to a
    confirmed address), then the send record, a copy filed in Documents and a case note
    listing what went (ALL-3, ALL-6)."""
    if not sent_to.strip():
        raise ActionRefused(["ALL-6: Enter the address the pack is going to."])
    with transaction.atomic():
        request = lock(request)
        pack = current(request)
        if pack is None or pack.status != S.FINALISED:
            raise ActionRefused(["Finalise the pack before sending it."])
        pack = _locked_pack(request, pack.pk)
        said = apply_facts(request, user, facts)
        request.save()
        proposed = {"send": SendDetails(
            method=method, address_confirmed=address_confirmed, sender_id=user.pk,
            second_checker_id=pack.second_checked_by_id, address=sent_to.strip(),
        )}
        if request.state == "hard_copies_approved":
            complete(request, Action.PRODUCE_HARD_COPIES, Action.SEND, Action.CASE_NOTE)
        else:
            complete(request, Action.DISCLOSE, Action.FILE_COPY, Action.SEND, Action.CASE_NOTE)
        offer = take(request, user, "send_pack", proposed=proposed, http_request=http_request,
                     detail={"pack": pack.pk, "version": pack.version})
        pack.method, pack.sent_to = method, sent_to.strip()
        pack.address_confirmed = address_confirmed
        pack.sent_by, pack.sent_at, pack.status = user, timezone.now(), S.SENT
        pack.save()
        Document.objects.create(
            request=request, title=f"Disclosure pack v{pack.version} – {request.reference}",
            kind=Document.Kind.FILE, file=pack.file.name, content_type="application/pdf",
            page_count=pack.page_count, size=pack.size, sha256=pack.sha256,
            is_disclosure_copy=True, uploaded_by=user,
        )
        add_note(request, user, "\n".join([what_went(pack), *said]),
                 kind=CaseNote.Kind.DISCLOSURE, rule_ids=list(offer.note_rule_ids))
        audit(user, "pack.send", pack, request=request, http_request=http_request,
              detail={"method": method, "sha256": pack.sha256, "version": pack.version})
        if Role.BUSINESS_SUPPORT in user.roles:
            access.step_back(request, user)  # business support's part is done
        return request


def what_went(pack: Pack) -> str:
    contents = pack.contents or {}
    lines = [
        f"Disclosure pack version {pack.version} sent to {pack.request.requester.name} "
        f"({pack.request.requester.organisation}) at {pack.sent_to} by "
        f"{pack.get_method_display().lower()} on {timezone.localdate(pack.sent_at):%d %B %Y}."
        f" {pack.page_count} pages, SHA-256 {pack.sha256}.",
        "Documents:",
    ]
    for i, d in enumerate(contents.get("documents", []), 1):
        first, last = d["pages"]
        reasons = ", ".join(f"{n} × {code}" for code, n in d.get("reasons", {}).items())
        lines.append(f"{i}. {d['title']} (pages {first}–{last}; "
                     f"{d['redactions']} redaction{'s' if d['redactions'] != 1 else ''}"
                     f"{': ' + reasons if reasons else ''})")
    for w in contents.get("withheld", []):
        lines.append(f"Withheld: {w['title']} — {w['why']}")
    if pack.second_checked_by_id:
        lines.append(f"Second-checked by {pack.second_checked_by.get_full_name()}.")
    return "\n".join(lines)


def ask_for_pack(request, user, *, instructions: str = "", http_request=None, **facts):
    """The worker asks business support to prepare and send the pack of what was approved."""
    from requests_app.services import notify
    from requests_app.services.disclosure import business_support

    with transaction.atomic():
        request = lock(request)
        said = apply_facts(request, user, facts)
        request.save()
        offer = take(request, user, "ask_for_pack", http_request=http_request)
        team = business_support(request)
        if team is None or not team.group_id:
            raise ActionRefused(["There is no business support team to prepare the pack."])
        access.grant(request, team.group)
        add_note(request, user, " ".join([
            "Asked business support to prepare the disclosure pack.",
            *([f"Instructions: {instructions.strip()}"] if instructions.strip() else []),
            *said]), kind=CaseNote.Kind.PACK, rule_ids=list(offer.note_rule_ids))
        notify.request_reached(request, team.members.all(),
                               "Please prepare the disclosure pack.")
        return request
