"""Nottinghamshire's own words in its letters to the requester (source 001): SCIMT writes, from
the contact details the procedure gives, with the advice the procedure gives for each
outcome. Split from ``policies/nottinghamshire.py`` so each module stays readable."""

from __future__ import annotations

from policies.letters import LetterWords, Said

LETTER_WORDS = LetterWords(
    team="Safeguarding Children Information Management Team (SCIMT)",
    service="Children's Social Care",
    contact="Telephone 01623 433177 · safeguardcimt@nottscc.gov.uk",
    signed_for="Safeguarding Children Information Management Team",
    acknowledgement=(
        Said("SCIMT will check your identity first. We can then tell you only basic facts: "
             "whether the person is known to Children's Social Care, whether the case is open "
             "or closed, whether there is a child protection history and which worker or team "
             "holds an open case.", ("NOTTS-0.6",)),
        Said("Please ask for specific information. If you need a lot of information or a "
             "detailed history, we may suggest that you view the records instead.",
             ("NOTTS-0.3",)),
    ),
    refusal=(
        Said("The decision and the reasons for it are recorded on the child's record. "
             "Files are never printed or photocopied and sent.", ("ALL-2", "NOTTS-0.7")),
    ),
    referral={
        "legal_services_annex_c": (
            Said("SCIMT cannot send copies of documents to the police, and we have not passed "
                 "your request on: Annex C is the way for the police to ask the council's Legal "
                 "Services for them.", ("NOTTS-2.1",)),
        ),
        "mash": (
            Said("We have not passed your request on: please contact the Multi-Agency "
                 "Safeguarding Hub (MASH) yourself to ask for the information to be disclosed.",
                 ("NOTTS-3",)),
        ),
        "adoption_records_manager": (
            Said("Requests for a person's own adoption records are dealt with by the Adoption "
                 "Records Manager under the Adoption Regulations.", ("NOTTS-0.1",)),
        ),
        "view_records_procedure": (
            Said("Requests from professionals to view records are dealt with under the "
                 "'Other Agency Requests to View Records' procedure.", ("NOTTS-0.2",)),
        ),
    },
    subject_access=(
        Said("Requests for a person's own records are dealt with by the Complaints and "
             "Information Team under the Subject Access to Records Policy. You can make one "
             "through the Customer Service Centre or by email to "
             "Accessto.Records@nottscc.gov.uk.", ("ALL-4",)),
    ),
)
