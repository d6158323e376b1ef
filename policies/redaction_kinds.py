"""The rules behind the redaction suggestions built from a case's own facts.

The suggester (requests_app/redaction/suggest.py) finds third parties, informants, adopters
and placement addresses in a record; which rules each kind rests on is the policy's answer,
so the case notes and the redaction screen cite these IDs and nothing outside policies/
decides them.
"""

# ALL-5: third-party material is withheld or redacted without the author's consent.
# BH-5: a child protection informant's anonymity is protected.
# BH-9 / DEVON-3.1: adopters' identifying details and placement addresses are removed.
SUGGESTION_RULE_IDS: dict[str, tuple[str, ...]] = {
    "third_party": ("ALL-5",),
    "informant": ("BH-5",),
    "adopter": ("BH-9", "DEVON-3.1"),
    "placement_address": ("BH-9", "DEVON-3.1"),
}
