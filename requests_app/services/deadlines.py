"""Keep the request's due date in step with its council's deadline rules (policies.deadlines)."""

from requests_app import access
from requests_app.policy_adapter import policy_for


def refresh_due_date(request) -> None:
    access.forget_snapshots(request)
    deadline = policy_for(request).deadline(access.snapshot_for(request))
    request.due_date = deadline.due
    statutory = [d.due for d in deadline.also if "statut" in d.label.lower()]
    request.statutory_due_date = statutory[0] if statutory else None
    request.deadline_explanation = deadline.explanation
