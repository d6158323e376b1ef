"""The rule catalogue kept in the repository (docs/policy-rules.md) is the registry's own."""

from pathlib import Path

from policies.rules import markdown, rules

CATALOGUE = Path(__file__).resolve().parents[2] / "docs" / "policy-rules.md"


def test_the_committed_rule_catalogue_is_up_to_date():
    assert CATALOGUE.read_text() == markdown(), (
        "docs/policy-rules.md is out of date: run "
        "`uv run python manage.py policy_rules --write` and commit it."
    )


def test_the_catalogue_lists_every_rule_with_where_it_is_enforced():
    text = CATALOGUE.read_text()
    for rule in rules().values():
        assert f"| {rule.id} |" in text
        for where in rule.enforced_by:
            assert f"`{where}`" in text
