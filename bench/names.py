"""Names and request wording for the benchmark data, with the long tail real records have.

A council's children do not share eight surnames: the commonest English surname (Smith) is
about 1.3 % of people and most are far rarer. Search cost follows how many rows a name or a
word matches, so the benchmark draws surnames with real-looking weights (common ones first,
then a long tail of rarer made-up ones) and composes what each request asks from parts, so
its words are common, middling or rare as in real requests.
"""

from __future__ import annotations

from bisect import bisect
from itertools import accumulate


def _words(text: str) -> list[str]:
    return text.split()


_COMMON_SURNAMES = _words("""
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts
Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel
Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan
Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly
Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall
Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason
Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell
Barker Fisher Stevens Jenkins Murray Dixon Harvey Okafor Nguyen Kowalski Ahmed Kendrick
Ashworth Mensah Oduya Novak Rahman Aydin Pryce Walsh""")
_FIRST = _words("""
Oliver Amelia George Isla Harry Ava Noah Mia Jack Ivy Leo Lily Arthur Isabella Muhammad
Rosie Oscar Sophia Charlie Grace Jacob Freya Thomas Willow Freddie Olivia Alfie Emily Theo
Poppy Archie Ella Henry Evie Joshua Florence Alexander Sienna Jude Daisy Max Elsie William
Phoebe James Harper Ethan Luna Isaac Aria Lucas Millie Mohammed Matilda Edward Sofia Finley
Ruby Samuel Ellie Adam Maya Reggie Layla Tommy Esme Logan Eva Ronnie Hallie Sebastian Zara
Dylan Emilia Toby Jessica Harrison Lucy Albert Aisha Elijah Amara Louie Hannah Hugo Erin Ryan
Chloe Rory Nancy Zachary Orla Kai Bella Ezra Imogen""")
_TAIL_A = ("Ash", "Brad", "Carr", "Dun", "Elm", "Fair", "Gar", "Hol", "Kings", "Lang", "Mar",
           "North", "Pen", "Rad", "Stan", "Thorn", "Wes", "Whit", "Yar", "Bram")
_TAIL_B = ("ford", "ley", "ton", "well", "wood", "by", "ham", "field", "stone", "croft",
           "worth", "den", "more", "hurst", "wick")


_TAIL_M = ("", "er", "ing", "en", "ow", "ar", "el", "is")


def surnames() -> tuple[list[str], list[float]]:
    """The ~110 commonest surnames with weights as in England and Wales (Smith about 1.3 %,
    the hundredth about 0.12 %; together about a quarter of people), then ~2,400 made-up
    rarer ones sharing the other three quarters evenly (each about 0.03 %)."""
    common = [0.0126 / (rank + 1) ** 0.5 for rank in range(len(_COMMON_SURNAMES))]
    tail = [a + m + b for a in _TAIL_A for m in _TAIL_M for b in _TAIL_B]
    rest = (1 - sum(common)) / len(tail)
    return _cumulative(_COMMON_SURNAMES + tail, common + [rest] * len(tail))


def first_names() -> tuple[list[str], list[float]]:
    """About a hundred first names, the commonest about 5 % of children."""
    return _cumulative(_FIRST, [1 / (rank + 1) ** 0.5 for rank in range(len(_FIRST))])


def _cumulative(items: list[str], weights: list[float]) -> tuple[list[str], list[float]]:
    return items, list(accumulate(weights))


def pick(rng, weighted: tuple[list[str], list[float]]) -> str:
    items, cumulative = weighted
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


_ASKED = ("Whether the child is known to children's social care",
          "Dates of involvement and the outcome of any assessment",
          "Any child protection plan and the concerns recorded",
          "A chronology of contact with the family",
          "The outcome of the section 47 enquiry",
          "Whether there are safeguarding concerns about the parents",
          "The case file for the Children's Guardian",
          "Minutes of the child protection conference",
          "Any domestic abuse incidents recorded",
          "Whether the child has been looked after",
          "School attendance concerns shared with the council",
          "Health needs recorded in the assessment")
_WHY = ("for a strategy discussion", "for a transfer-in assessment",
        "to plan a safe hospital discharge", "for private law proceedings",
        "for a criminal investigation", "for a pre-employment check",
        "for an education health and care plan", "to assess risk at a new address",
        "for the court bundle", "for a multi-agency risk assessment conference")
_DETAIL = ("", " since 2019", " including siblings", " and any missing episodes",
           " and contact with the father", " during the last two years",
           " and any concerns about neglect", " and any referrals from the school")


def what_is_asked(rng) -> str:
    return (f"{_ASKED[int(rng.random() * len(_ASKED))]} {_WHY[int(rng.random() * len(_WHY))]}"
            f"{_DETAIL[int(rng.random() * len(_DETAIL))]}.")
