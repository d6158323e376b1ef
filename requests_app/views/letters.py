"""Letters to the requester: issue one (a service), download one (access-checked, audited)."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from requests_app import access
from requests_app.audit_reads import describe
from requests_app.models import Letter
from requests_app.services import letters as service
from requests_app.services.base import ActionRefused


@require_POST
def issue(request, reference: str, kind: str):
    obj = access.get_request_for_user(request.user, reference)
    try:
        letter = service.issue_letter(obj, request.user, kind, http_request=request)
    except ActionRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
    else:
        messages.success(request, f"Letter filed: {letter.title}. Download it from the "
                                  "timeline.")
    return redirect("request_detail", reference=obj.reference)


@require_GET
def download(request, reference: str, letter: int):
    obj = access.get_request_for_user(request.user, reference)
    filed = get_object_or_404(Letter, pk=letter, request=obj)
    # Audited by audit_reads as "letter.download"; this says which file went.
    describe(request, letter=filed.pk, letter_kind=filed.kind, sha256=filed.sha256)
    response = FileResponse(filed.file.open("rb"), content_type="application/pdf",
                            as_attachment=True,
                            filename=f"{obj.reference}-{filed.kind}-{filed.pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
