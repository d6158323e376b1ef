"""Route 100,000 generated requests through each council's policy; print time per decision.

    uv run python bench/policy_bench.py [N]

Prints figures only (target ≤ 0.2 ms per routing decision); it never asserts on time.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policies.base import Action  # noqa: E402
from policies.registry import POLICIES  # noqa: E402
from tests.policies.factories import (  # noqa: E402
    DEFUNCT_TEAM,
    decision,
    make_case,
    make_closed_case,
    make_request,
    make_requester,
)

TYPES = (
    "information",
    "information",
    "information",
    "hard_copies",
    "view_records",
    "subject_access",
    "dbs",
    "ofsted_enquiry",
    "cafcass_section7",
    "police_investigation",
    "meeting_minutes",
    "network_check",
)
AGENCIES = ("police", "health", "school", "cafcass", "other_council", "parent", "subject")
CASES = (
    make_case(),
    make_closed_case(),
    make_closed_case(last_team=DEFUNCT_TEAM, on_paper=True),
    make_closed_case(mash_enquiry_only=True),
    make_case(care_order=True, in_care=True, placement_address="1 High St"),
)


def generate(council: str, n: int, seed: int = 3) -> list:
    rnd = random.Random(seed)
    requesters = [make_requester(agency_type=a) for a in AGENCIES]
    out = []
    for i in range(n):
        out.append(
            make_request(
                council=council,
                reference=f"R-{i}",
                request_type=rnd.choice(TYPES),
                requester=rnd.choice(requesters),
                subjects=(rnd.choice(CASES),),
                large_volume=rnd.random() < 0.1,
                asks_for_printed_files=rnd.random() < 0.05,
                received_by_team_kind=rnd.choice(("", "", "mash", "social_work")),
                sharing_decision=decision() if rnd.random() < 0.5 else None,
            )
        )
    return out


def timed(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - start) / len(items) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"{n:,} generated requests per council; milliseconds per decision (target ≤ 0.2)")
    print(f"{'council':<16}{'route':>9}{'steps':>9}{'check':>9}{'deadline':>10}{'redact':>9}")
    for slug, policy in POLICIES.items():
        requests = generate(slug, n)
        route = timed(policy.route, requests)
        steps = timed(policy.steps, requests)
        disclose = [replace(r, completed_steps=frozenset({Action.DISCLOSE})) for r in requests]
        check = timed(lambda r, p=policy: p.check(Action.DISCLOSE, r), disclose)
        few = requests[: max(1, n // 10)]
        deadline = timed(policy.deadline, few)
        redact = timed(policy.redactions, requests)
        print(f"{slug:<16}{route:>9.4f}{steps:>9.4f}{check:>9.4f}{deadline:>10.4f}{redact:>9.4f}")


if __name__ == "__main__":
    main()
