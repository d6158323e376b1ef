"""What one pack may cost: oversized uploads and overlong text records are refused with a
message on the page (and nothing already saved is lost); a killed or failed run leaves nothing
behind in the pack work folder or the pack store."""

import io
import uuid
from datetime import timedelta

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from requests_app.models import Document, Pack, User
from requests_app.packs.limits import MAX_TEXT_PAGES
from requests_app.services import decisions, documents, packs
from tests.services.conftest import log_and_triage, open_case, refused

pytestmark = pytest.mark.usefixtures("demo")


def person(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def obj():
    request = log_and_triage(person("bh.scimt"), open_case("brighton_hove"), agency_type="health")
    return decisions.record_decision(request, person("bh.sw"), reasons="Relevant and necessary.")


def blank_pdf(*sizes) -> SimpleUploadedFile:
    pdf = pikepdf.new()
    for size in sizes:
        pdf.add_blank_page(page_size=size)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return SimpleUploadedFile("plan.pdf", buffer.getvalue())


def test_a_pdf_with_a_page_bigger_than_a0_is_refused_and_nothing_is_stored(obj):
    before = Document.objects.count()
    problems = refused(documents.upload_document, obj, person("bh.sw"), title="Site plan",
                       upload=blank_pdf((595, 842), (3600, 2400)))
    assert "Page 2 of the selected PDF is 1270 × 847 mm" in problems[0]
    assert "A0 (841 × 1189 mm) or smaller" in problems[0]
    assert Document.objects.count() == before


def test_an_a0_page_either_way_round_is_accepted(obj):
    document = documents.upload_document(obj, person("bh.sw"), title="Plan",
                                         upload=blank_pdf((2384, 3370), (3370, 2384)))
    assert document.page_count == 2


def test_a_text_record_too_long_for_the_pack_is_refused_with_its_page_estimate(obj):
    lines = "\n".join(f"Line {n}" for n in range(20_000))
    problems = refused(documents.add_text_record, obj, person("bh.sw"), title="Paste",
                       text=lines)
    assert f"must make {MAX_TEXT_PAGES} pages or fewer" in problems[0]
    assert "about 400 pages" in problems[0]
    assert not Document.objects.filter(request=obj, title="Paste").exists()


def test_the_text_form_shows_the_refusal_and_keeps_what_was_typed(client, obj):
    client.force_login(person("bh.sw"))
    text = "\n".join(f"Entry {n}: visit" for n in range(10_000))
    response = client.post(reverse("document_text_add", args=[obj.reference]),
                           {"title": "Long paste", "text": text, "is_third_party": "False"})
    assert response.status_code == 422
    page = response.content.decode()
    assert f"must make {MAX_TEXT_PAGES} pages or fewer" in page
    assert "Entry 9999: visit" in page and "Long paste" in page


# ---- temporary files ---------------------------------------------------------------------


@pytest.fixture
def queued(obj):
    request = packs.ask_for_pack(obj, person("bh.sw"))
    document = documents.add_text_record(request, person("bh.bs"), title="Note", text="Seen.")
    pack = packs.choose_documents(request, person("bh.bs"), documents=[document])
    return packs.generate(pack, person("bh.bs"))


def test_a_run_sweeps_what_killed_runs_left_and_keeps_what_live_runs_use(queued, obj):
    dead, live = uuid.uuid4(), uuid.uuid4()
    for run in (dead, live):
        folder = packs.work_root() / str(run)
        folder.mkdir(parents=True)
        (folder / "raster.pdf").write_bytes(b"%PDF- half written")
        default_storage.save(f"packs/{run.hex}.pdf", ContentFile(b"%PDF- half copied"))
    other = default_storage.save("packs/not-a-run.pdf", ContentFile(b"kept"))
    # Another pack of the same request, generating now, owns `live`.
    Pack.objects.create(request=queued.request, version=9, created_by=person("bh.bs"),
                        status=Pack.Status.GENERATING, run_id=live, heartbeat_at=timezone.now())

    packs.run_generation(queued.pk, str(queued.run_id))

    queued.refresh_from_db()
    assert queued.status == Pack.Status.READY, queued.error
    assert not (packs.work_root() / str(dead)).exists()
    assert not default_storage.exists(f"packs/{dead.hex}.pdf")
    assert (packs.work_root() / str(live)).exists()
    assert default_storage.exists(f"packs/{live.hex}.pdf")
    assert default_storage.exists(other)
    assert default_storage.exists(queued.file.name)  # the pack just made is recorded, kept
    assert not (packs.work_root() / str(queued.run_id)).exists()


def test_a_stalled_run_counts_as_dead(queued):
    stalled = uuid.uuid4()
    Pack.objects.create(request=queued.request, version=9, created_by=person("bh.bs"),
                        status=Pack.Status.GENERATING, run_id=stalled,
                        heartbeat_at=timezone.now() - timedelta(minutes=10))
    (packs.work_root() / str(stalled)).mkdir(parents=True)
    assert f"pack-work/{stalled}" in packs.sweep_pack_work()


def test_a_failed_run_leaves_no_work_folder(queued):
    Document.objects.filter(pk=queued.items.get().document_id).update(
        kind="file", content_type="application/pdf")
    with pytest.raises(Exception):  # noqa: B017 - any failure of the engine will do
        packs.run_generation(queued.pk, str(queued.run_id))
    queued.refresh_from_db()
    assert queued.status == Pack.Status.FAILED
    assert not (packs.work_root() / str(queued.run_id)).exists()
