"""get_<field>_display() reads a dictionary built once (requests_app/choice_labels.py) and
gives what Django's own would: the label of the stored value, or the value itself."""

from requests_app.models import InformationRequest, RequestState, RequestType


def test_a_stored_value_shows_its_label():
    request = InformationRequest(state=RequestState.AWAITING_DECISION,
                                 request_type=RequestType.INFORMATION)

    assert request.get_state_display() == RequestState.AWAITING_DECISION.label
    assert request.get_request_type_display() == RequestType.INFORMATION.label


def test_a_value_without_a_label_is_shown_as_it_is():
    assert InformationRequest(state="no_such_state").get_state_display() == "no_such_state"


def test_djangos_generated_method_is_the_one_replaced():
    assert InformationRequest.get_state_display.__module__ == "requests_app.choice_labels"
