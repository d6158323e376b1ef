"""From council slug to its policy object."""

from __future__ import annotations

from policies.brighton_hove import BrightonHovePolicy
from policies.camden import CamdenPolicy
from policies.common import CouncilPolicy
from policies.devon import DevonPolicy
from policies.nottinghamshire import NottinghamshirePolicy

POLICIES: dict[str, CouncilPolicy] = {
    p.council: p
    for p in (DevonPolicy(), NottinghamshirePolicy(), CamdenPolicy(), BrightonHovePolicy())
}


def get_policy(council_slug: str) -> CouncilPolicy:
    """The policy of ``council_slug`` ("devon", "nottinghamshire", "camden", "brighton_hove")."""
    try:
        return POLICIES[council_slug]
    except KeyError:
        raise LookupError(f"No policy for council {council_slug!r}") from None
