"""Action forms refuse bad input with GOV.UK-style messages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from requests_app.forms.actions import DiscloseForm, ExtendForm, RefusalForm

GOOD = {"what_was_provided": "Dates of involvement", "method": "secure_email",
        "provided_to": "dc.jane.doe@pnn.police.example", "address_confirmed": "on"}


def _disclose(upload):
    form = DiscloseForm(GOOD, {"copy": upload})
    # The council's offer gives the methods (policies.catalogue); a plain list stands in here.
    form.fields["method"].choices = [("secure_email", "Secure email")]
    return form


def test_a_pdf_copy_is_accepted_by_its_content():
    form = _disclose(SimpleUploadedFile("anything.bin", b"%PDF-1.7\n...", "application/x"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["copy"].content_type == "application/pdf"


def test_a_file_renamed_to_pdf_is_refused():
    form = _disclose(SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"))
    assert not form.is_valid()
    assert form.errors["copy"] == ["The selected file must be a PDF, PNG or JPEG"]


def test_an_empty_file_is_refused():
    form = _disclose(SimpleUploadedFile("empty.pdf", b"", "application/pdf"))
    assert not form.is_valid()
    assert "empty" in form.errors["copy"][0]


def test_disclosure_needs_what_was_provided():
    form = DiscloseForm({**GOOD, "what_was_provided": ""})
    assert form.errors["what_was_provided"] == ["Enter what information you provided"]


def test_a_refusal_needs_the_requester_told():
    form = RefusalForm({"reasons": "Not proportionate"})
    assert form.errors["requester_informed"] == ["Confirm that you have told the requester"]


def test_an_extension_is_a_whole_number_of_days_up_to_sixty():
    assert ExtendForm({"days": "ten", "reason": "x"}).errors["days"] == [
        "Enter a whole number of days"
    ]
    assert not ExtendForm({"days": "61", "reason": "x"}).is_valid()


def test_every_error_summary_link_leads_to_an_input_on_the_page():
    """WCAG 2.4.3, 3.3.1: the summary's link for a group of radios names its first option,
    so following it puts the focus there (crispy-forms-gds's own linked "#id_method", which
    no input has, and the focus stayed on the link)."""
    import re

    from django.template import engines

    form = DiscloseForm({"what_was_provided": "", "provided_to": ""})
    form.fields["method"].choices = [("secure_email", "Secure email"), ("post", "Post")]
    page = engines["django"].from_string(
        "{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}"
    ).render({"form": form})

    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    links = re.findall(r'href="#([^"]+)">\s*([^<]+?)\s*</a>', summary)
    assert ("id_method_1", "Select how the information was provided") in links
    for target, _ in links:
        assert f'id="{target}"' in page, f"The error summary links to #{target}, not on the page"


def test_a_disclosure_asks_the_worker_to_confirm_the_address():
    """ALL-6: the address is confirmed before sending; the form asks, the app never assumes."""
    form = DiscloseForm({key: value for key, value in GOOD.items()
                         if key != "address_confirmed"})
    form.fields["method"].choices = [("secure_email", "Secure email")]

    assert not form.is_valid()
    assert form.errors == {"address_confirmed": ["Confirm the address or number"]}
