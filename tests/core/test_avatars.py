"""Avatars: initials from names, a colour per id, and every colour readable."""

import re
from pathlib import Path

import pytest

from portal.core.avatars import PALETTE_SIZE, avatar_colour, initials

CSS = (Path(__file__).resolve().parents[2] / "portal" / "static" / "css" / "portal.css").read_text()


@pytest.mark.parametrize(("name", "expected"), [
    ("Amara Okafor", "AO"), ("Tomás de la Cruz", "TC"), ("yusuf", "Y"), ("  ", "?"), ("— ☺", "?"),
    ("Łucja Żak", "ŁŻ"), ("李 小龙", "李小"), ("Mo (she/her) Member", "MM"),
])
def test_initials_are_the_first_letters_of_the_first_and_last_words(name, expected):
    assert initials(name) == expected


def test_neighbouring_ids_get_different_colours_and_every_colour_is_used():
    colours = [avatar_colour(person_id) for person_id in range(1, PALETTE_SIZE + 1)]
    assert sorted(colours) == list(range(PALETTE_SIZE))
    assert all(a != b for a, b in zip(colours, colours[1:]))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("index", [*range(PALETTE_SIZE), "former"])
def test_white_initials_on_every_avatar_colour_have_a_contrast_of_at_least_4_5(index):
    match = re.search(rf"\.avatar-{index} {{ background: (#[0-9a-f]{{6}});", CSS)
    assert match, f".avatar-{index} has no colour in portal.css"
    contrast = (1.05) / (_luminance(match.group(1)) + 0.05)
    assert contrast >= 4.5, f".avatar-{index} {match.group(1)}: {contrast:.2f}:1"
