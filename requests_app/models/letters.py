"""Letters to the requester, as sent (issue 13 item 4): the PDF is filed on the request.

What a letter says comes from the council's policy (policies/letters.py); the row keeps the
file, its SHA-256, who issued it and the rule IDs it cites. Issuing one again makes a new row.
"""

import uuid

from django.conf import settings
from django.db import models

from policies.letters import LetterKind


def _letter_name(letter, filename):
    # Never guessable from the reference: the file is served only through an audited view.
    return f"letters/{letter.request.council_id}/{uuid.uuid4().hex}.pdf"


class Letter(models.Model):
    class Kind(models.TextChoices):  # the policy's vocabulary (STYLE 14)
        ACKNOWLEDGEMENT = LetterKind.ACKNOWLEDGEMENT, "Acknowledgement"
        REFUSAL = LetterKind.REFUSAL, "Refusal"
        REFERRAL = LetterKind.REFERRAL, "Referral advice"
        SAR_REDIRECT = LetterKind.SAR_REDIRECT, "Subject access redirection"

    request = models.ForeignKey("requests_app.InformationRequest", on_delete=models.PROTECT,
                                related_name="letters")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    rule_ids = models.JSONField(default=list)
    file = models.FileField(upload_to=_letter_name)
    sha256 = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    # The case note that records it, so the timeline can link to the letter.
    note = models.ForeignKey("requests_app.CaseNote", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="letters")

    class Meta:
        ordering = ["issued_at", "id"]

    def __str__(self):
        return f"{self.title} ({self.request.reference})"
