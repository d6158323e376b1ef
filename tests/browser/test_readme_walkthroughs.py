"""The README's walk-throughs, followed in the browser exactly as they are written.

README.md's "Walking a request through, council by council" has one "#### <Council>: …"
section per council, each a numbered list of steps. Every sentence of a step is one of a few
instructions (the README lists them); this reads them from README.md and does each one,
from the demo data as `load_demo` loads it, so a README edit that breaks a step fails here
with the step's own words. Text in brackets after a sentence, or a sentence wholly in
brackets, is a note for the reader and is skipped.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, switch_user

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "### Walking a request through, council by council"
COUNCILS = ("Nottinghamshire", "Devon", "Camden", "Brighton & Hove")
REFERENCE = re.compile(r"/requests/([A-Z]+-\d{4}-\d+)/")

# The instructions a step may give, one per sentence.
B = r"\*\*(?P<{}>[^*]+)\*\*"  # **bold**: a link, button, label or option as the page shows it
INSTRUCTIONS = [
    ("sign_in", re.compile(r"Sign in as `(?P<user>[^`]+)`")),
    ("open_reference", re.compile(r"Select the request's reference")),
    ("select_beside", re.compile(
        "Select " + B.format("verb") + " beside " + B.format("what"))),
    ("select", re.compile("Select " + B.format("name"))),
    ("type", re.compile("In " + B.format("label") + r" type `(?P<text>[^`]*)`")),
    ("choose", re.compile("In " + B.format("label") + " choose " + B.format("option"))),
    ("tick", re.compile("Tick " + B.format("label"))),
    ("shows", re.compile(r"The page shows [\"“](?P<text>[^\"”]+)[\"”]")),
]


def walkthroughs(text: str) -> dict[str, list[str]]:
    """Each council's numbered steps, in order, each step's lines joined into one."""
    if SECTION not in text:
        raise AssertionError(f"README.md has no {SECTION!r} section")
    section = text.split(SECTION, 1)[1]
    section = re.split(r"^#{1,3} ", section, maxsplit=1, flags=re.M)[0]
    found: dict[str, list[str]] = {}
    for part in re.split(r"^#### ", section, flags=re.M)[1:]:
        council = part.split(":", 1)[0].strip()
        steps: list[str] = []
        for line in part.splitlines()[1:]:
            item = re.match(r"(\d+)\. (.*)", line)
            if item:
                assert int(item[1]) == len(steps) + 1, f"{council}: step {item[1]} is out of order"
                steps.append(item[2])
            elif steps and line.startswith("   ") and line.strip():
                steps[-1] += " " + line.strip()
            elif steps and line.strip():
                break  # the list has ended
        found[council] = [re.sub(r"\s+", " ", s).strip() for s in steps]
    return found


def sentences(step: str) -> list[str]:
    """Split a step into its sentences, leaving out bracketed notes. A full stop, a bracket
    or a quote inside `typed text`, **bold** or "quoted text" belongs to it."""
    out, current, i = [], "", 0
    depth, code, bold, quote = 0, False, False, False
    while i < len(step):
        char = step[i]
        if step.startswith("**", i) and not code and not quote:
            bold = not bold
            current += "**" if depth == 0 else ""
            i += 2
            continue
        if char == "`" and not bold and not quote:
            code = not code
        elif char in "\"“”" and not code and not bold:
            quote = char == "“" or (char == '"' and not quote)
        elif not (code or bold or quote):
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                i += 1
                continue
            elif char == "." and depth == 0 and (i + 1 == len(step) or step[i + 1] == " "):
                if current.strip():
                    out.append(current.strip())
                current, i = "", i + 1
                continue
        if depth == 0:
            current += char
        i += 1
    if current.strip():
        out.append(current.strip())
    return out


@dataclass
class Walker:
    """Does one instruction at a time in the browser; remembers the request it logged."""

    page: Page
    live_server: object
    reference: str | None = None

    def do(self, sentence: str) -> None:
        for name, pattern in INSTRUCTIONS:
            match = pattern.fullmatch(sentence)
            if match:
                getattr(self, name)(**match.groupdict())
                self.remember_reference()
                return
        raise AssertionError("this is not one of the instructions the README lists")

    def remember_reference(self) -> None:
        found = REFERENCE.search(self.page.url)
        if found and self.reference is None:
            self.reference = found[1]

    def click(self, target) -> None:
        expect(target).to_have_count(1)
        target.click()
        self.page.wait_for_load_state()  # deferred scripts (htmx) run before the next step

    def control(self, role: str, name) -> object:
        return self.page.get_by_role(role, name=name).filter(visible=True)

    def sign_in(self, user: str) -> None:
        switch_user(self.page, self.live_server, user)

    def open_reference(self) -> None:
        assert self.reference, "no request has been logged yet in this walk-through"
        self.click(self.control("link", re.compile(f"^{re.escape(self.reference)}$")))

    def select(self, name: str) -> None:
        # Exactly this text, or a tab with its count after it: "For my decision (1)".
        wanted = re.compile(rf"^{re.escape(name)}( \(\d+\))?$")
        self.click(self.control("link", wanted).or_(self.control("button", wanted)))

    def select_beside(self, verb: str, what: str) -> None:
        wanted = re.compile(rf"^{re.escape(verb)} {re.escape(what)}(?!\w)")
        self.click(self.control("link", wanted).or_(self.control("button", wanted)))

    def labelled(self, label: str):
        found = self.page.get_by_label(label, exact=True).filter(visible=True)
        expect(found, f"one field labelled {label!r}").to_have_count(1)
        return found

    def type(self, label: str, text: str) -> None:
        self.labelled(label).fill(text)

    def choose(self, label: str, option: str) -> None:
        select = self.page.locator("select").and_(self.page.get_by_label(label, exact=True))
        if select.count() == 1:
            select.select_option(label=option)
            return
        group = self.page.get_by_role("group", name=label, exact=True)
        expect(group, f"one list or question {label!r}").to_have_count(1)
        group.get_by_label(option, exact=True).check()

    def tick(self, label: str) -> None:
        self.labelled(label).check()

    def shows(self, text: str) -> None:
        expect(self.page.locator("main")).to_contain_text(text)


def follow(walker: Walker, council: str, steps: list[str], after_step=None) -> None:
    """Do every sentence of every step; fail with the step's words when one cannot be done."""
    assert steps, f"README.md has no numbered steps for {council}"
    for number, step in enumerate(steps, 1):
        for sentence in sentences(step):
            try:
                walker.do(sentence)
                continue
            except Exception as error:  # Playwright's timeouts and our own assertions alike
                why = "; ".join(str(error).splitlines()[:3])
            problem = walker.page.locator(".govuk-error-summary")
            shown = f"\nThe page says: {problem.inner_text()}" if problem.count() else ""
            pytest.fail(f"README, {council}, step {number}: could not do {sentence!r}: {why}"
                        f"{shown}\n(the whole step: {step})", pytrace=False)
        if after_step:
            after_step(number)


@pytest.fixture(scope="module")
def readme_steps():
    return walkthroughs(README.read_text(encoding="utf-8"))


def test_the_readme_has_a_walk_through_for_every_council(readme_steps):
    assert list(readme_steps) == list(COUNCILS)
    for council, steps in readme_steps.items():
        for number, step in enumerate(steps, 1):
            for sentence in sentences(step):
                assert any(p.fullmatch(sentence) for _, p in INSTRUCTIONS), (
                    f"README, {council}, step {number}: {sentence!r} is not one of the "
                    "instructions the README lists")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("council", COUNCILS)
def test_the_readme_walk_through_works_click_by_click(
    page, live_server, demo, readme_steps, council
):
    walker = Walker(page, live_server)
    routing_checked = []

    def check_the_routing_page(number: int) -> None:
        # axe on the routing page the first time the walk-through reaches it, and at the end.
        if not routing_checked and page.locator("h1").inner_text() == "Check the routing":
            routing_checked.append(number)
            assert_accessible(page)

    follow(walker, council, readme_steps[council], after_step=check_the_routing_page)
    assert walker.reference, f"the {council} walk-through never logged a request"
    assert routing_checked, f"the {council} walk-through never reached Check the routing"
    assert_accessible(page)
