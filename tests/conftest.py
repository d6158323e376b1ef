"""Personas, set up once per test: the people the behaviour is described in terms of."""

import pytest
from django.db import connection

from tests.factories import make_council, make_team, make_user


def pytest_configure(config):
    from django.conf import settings

    # Fast, deterministic test runs (STYLE 9).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A test signs in once and may send minutes later on a busy machine; tests/test_reauth.py
    # sets the real five minutes and ages the sign-in itself.
    settings.REAUTH_SECONDS = 30 * 60
    # Every reuse of a kept compilation is checked against a fresh one (sql_memo.py).
    settings.SQL_MEMO_CHECK = True


@pytest.fixture(autouse=True)
def _real_postgresql(request):
    """Tests run on PostgreSQL, as production does; SQLite is only the demo's default."""
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        assert connection.vendor == "postgresql", "Run the tests with scripts/test (PostgreSQL)"


HISTORY_TABLES = ["requests_app_casenote", "requests_app_disclosuredecision",
                  "requests_app_auditevent", "requests_app_requestamendment"]


def _truncate_triggers(enabled: bool) -> None:
    verb = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        for table in HISTORY_TABLES:
            cursor.execute(f"ALTER TABLE {table} {verb} TRIGGER {table}_no_truncate")


def _history_truncatable_again(sender, **kwargs):
    """After pytest-django's flush (it emits post_migrate), history refuses TRUNCATE again."""
    if sender.name == "requests_app" and connection.vendor == "postgresql":
        _truncate_triggers(enabled=True)


@pytest.fixture(autouse=True)
def _history_flushable_after_transactional_tests(request):
    """A transactional test (the browser tests) ends with Django's flush, a TRUNCATE of every
    table, which the history tables refuse (migration 0008). As the owner, the test suite
    lifts that refusal for the flush only; post_migrate puts it back."""
    marker = request.node.get_closest_marker("django_db")
    if not ("transactional_db" in request.fixturenames
            or (marker is not None and marker.kwargs.get("transaction"))):
        yield
        return
    from django.db.models.signals import post_migrate

    post_migrate.connect(_history_truncatable_again, dispatch_uid="history_truncatable")
    # Set up first so that it is torn down (flushed) after the triggers are lifted.
    request.getfixturevalue("_django_db_helper")
    yield
    _truncate_triggers(enabled=False)


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_folder(tmp_path_factory):
    """Uploaded documents and packs written by tests never land in the project's media/."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def notts(db):
    return make_council("nottinghamshire")


@pytest.fixture
def camden(db):
    return make_council("camden")


@pytest.fixture
def scimt_officer(notts):
    return make_user(notts, role="scimt_officer", username="scimt", first_name="Sam",
                     last_name="Okafor")


@pytest.fixture
def social_work_team(notts):
    return make_team(notts, name="Mansfield Children's Social Work Team", locality="Mansfield")


@pytest.fixture
def csm(notts, social_work_team):
    return make_user(notts, role="csm", team=social_work_team, username="csm",
                     first_name="Carol", last_name="Hennessy")


@pytest.fixture
def another_csm(notts):
    return make_user(notts, role="csm", username="csm2", first_name="Dev", last_name="Patel")


@pytest.fixture
def social_worker(notts, social_work_team):
    return make_user(notts, role="social_worker", team=social_work_team, username="sw",
                     first_name="Sophie", last_name="Walker")


@pytest.fixture
def business_support(notts):
    return make_user(notts, role="business_support", username="bs", first_name="Bea",
                     last_name="Simmons")


@pytest.fixture
def outsider(camden):
    """A SCIMT-equivalent officer from another council: sees nothing of Nottinghamshire."""
    return make_user(camden, role="scimt_officer", username="outsider", first_name="Chidi",
                     last_name="Nwosu")
