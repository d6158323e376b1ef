"""Finding what to redact in a record's text: pure Python, no Django, no ORM.

``matching`` finds terms and staff-typed wildcard patterns, ``patterns`` detects UK personal
data (NHS and National Insurance numbers, postcodes, phone numbers, emails, dates of birth),
and ``suggest`` combines those with the case's own facts (third parties, informants, adopters,
placement addresses) into suggestions a worker accepts or rejects. Nothing here is redacted
automatically: every span is a suggestion with a reason code and the rule IDs behind it.
"""

# The reason codes a redaction carries; the code is what stands in the pack where the text
# stood. The codes match requests_app.models.packs.RedactionReason; they are repeated here so
# this package stays importable without Django.
REASONS: dict[str, str] = {
    "TP": "Third-party information",
    "NR": "Not relevant",
    "PL": "Placement details",
    "LP": "Legal privilege",
    "PC": "Prejudice to the prevention or detection of crime",
    "SH": "Serious harm",
    "AD": "Adoption details",
    "PD": "Personal data of the subject",
}
