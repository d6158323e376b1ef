"""Redactions every council suggests before release: third parties without consent (ALL-5),
and placement addresses and adopters' details under the rule each council gives for them."""

from __future__ import annotations

from policies.base import DocumentConsent, RedactionSuggestion, RequestSnapshot
from policies.rules import enforces


@enforces("ALL-5")
def third_party_redactions(request: RequestSnapshot) -> list[RedactionSuggestion]:
    """ALL-5: third-party documents without the author's consent, and third parties named."""
    out = []
    for doc in request.documents:
        if doc.is_third_party and doc.consent_status != DocumentConsent.GRANTED:
            out.append(
                RedactionSuggestion(
                    "third_party_document",
                    doc.title,
                    f"Written by {doc.author or 'another agency'}; no recorded consent to "
                    "release — withhold or redact.",
                    ("ALL-5",),
                    doc.id,
                )
            )
    for case in request.subjects:
        for name in case.third_party_names:
            out.append(
                RedactionSuggestion(
                    "third_party",
                    name,
                    "A third party named in the record; remove unless they agreed.",
                    ("ALL-5",),
                )
            )
    return out


def placement_redactions(
    request: RequestSnapshot, rule_ids: tuple[str, ...]
) -> list[RedactionSuggestion]:
    """Placement addresses and adopters' identifying details (BH-9, DEVON-3.1; elsewhere the
    nearest rule is proportionality, and a careful IG lead suggests the same)."""
    out = []
    for case in request.subjects:
        if case.placement_address and (case.in_care or case.adopted):
            out.append(
                RedactionSuggestion(
                    "placement_address",
                    case.placement_address,
                    f"{case.name or case.reference}'s placement address.",
                    rule_ids,
                )
            )
        for name in case.adopter_names:
            out.append(
                RedactionSuggestion("adopter", name, "An adopter's identifying details.", rule_ids)
            )
    return out
