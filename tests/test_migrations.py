"""The models and the migrations agree: nobody forgot to run makemigrations."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    # --check exits non-zero (SystemExit) if a migration would be written.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
