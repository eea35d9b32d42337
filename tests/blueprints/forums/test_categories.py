"""Community managers create, describe, order and restrict categories."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.blueprints.forums.models import Category
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_category, make_person, make_thread
from tests.helpers import browser_for, links, words_of


def _form(**changes) -> dict:
    return {"name": "Career change", "description": "Moving into a new field.", "audience": "members",
            "position": "2"} | changes


def _categories(session) -> list[Category]:
    session.expire_all()
    return list(session.scalars(select(Category).order_by(Category.id)))


def test_a_manager_creates_a_category_members_then_see(app, browser, session, manager, member):
    sign_in(browser, manager)
    browser.get("/forums/manage")
    browser.get(dict(links(browser.html))["Create a category"])
    browser.submit(_form(), button="Save category")
    assert browser.url == "/forums/manage"
    assert "The category Career change is saved." in words_of(browser.page)
    [category] = _categories(session)
    assert (category.name, category.slug, category.description, category.audience, category.position) == (
        "Career change", "career-change", "Moving into a new field.", "members", 2)
    assert "Career change: edit" in [t for t, _ in links(browser.html)]
    reader = browser_for(app, member)
    assert "Moving into a new field." in words_of(reader.get("/forums/"))
    assert reader.get("/forums/c/career-change/").status_code == 200


def test_categories_are_listed_by_position_then_name(browser, session):
    make_category(session, name="Zebra", position=1)
    make_category(session, name="Apple", position=2)
    make_category(session, name="Mango", position=1)
    make_category(session, name="First", position=-5)
    listed = [t for t, h in links(browser.get("/forums/").get_data(as_text=True)) if h.startswith("/forums/c/")]
    assert listed == ["First", "Mango", "Zebra", "Apple"]


def test_editing_a_category_restricts_it_to_mentors(app, browser, session, category, manager, member, mentor):
    thread = make_thread(session, category, title="Only for mentors now")
    sign_in(browser, manager)
    browser.get(f"/forums/manage/{category.id}")
    fields = dict(browser.form(button="Save category").fields)
    assert (fields["name"], fields["audience"], fields["position"]) == ("Finding a mentor", "members", "0")
    browser.submit({"audience": "mentors", "description": "For mentors"}, button="Save category")
    session.refresh(category)
    assert (category.audience, category.description, category.name) == ("mentors", "For mentors", "Finding a mentor")
    assert browser_for(app, member).get(f"/forums/t/{thread.id}").status_code == 404
    assert browser_for(app, mentor).get(f"/forums/t/{thread.id}").status_code == 200
    assert "Mentors only" in words_of(browser.get("/forums/manage"))


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": ""}, "name", "Enter a name"),
    ({"name": "   "}, "name", "Enter a name"),
    ({"name": "???"}, "name", "The title needs some words, not only symbols"),
    ({"name": "n" * 81}, "name", "The name must be 80 characters or fewer (you entered 81)"),
    ({"description": "d" * 301}, "description", "The description must be 300 characters or fewer (you entered 301)"),
    ({"position": "first"}, "position", "Enter the position as a whole number, like 3"),
    ({"position": "1.5"}, "position", "Enter the position as a whole number, like 3"),
    ({"position": "-"}, "position", "Enter the position as a whole number, like 3"),
    ({"position": "²"}, "position", "Enter the position as a whole number, like 3"),
    ({"position": "99999999999999999999"}, "position", "Enter a position from -1000 to 1000"),
    ({"position": "9" * 5000}, "position", "Enter a position from -1000 to 1000"),
    ({"position": "-" + "9" * 5000}, "position", "Enter a position from -1000 to 1000"),
    ({"position": "-1001"}, "position", "Enter a position from -1000 to 1000"),
    ({"audience": None}, "audience", "Choose who can see the category"),
])
def test_bad_category_answers_get_422_and_are_kept(browser, session, manager, changes, field, message):
    sign_in(browser, manager)
    browser.get("/forums/manage/new")
    response = browser.submit(_form(**changes), button="Save category")
    assert response.status_code == 422
    assert f"Error: {message}" in words_of(response)
    kept = dict(browser.form(button="Save category").fields)
    for name, value in _form(**changes).items():
        if value is not None:
            assert kept.get(name) == value.strip(), name
    assert _categories(session) == []


def test_two_categories_cannot_share_a_name(browser, session, category, manager):
    sign_in(browser, manager)
    for name in ("Finding a mentor", "finding a MENTOR!"):
        browser.get("/forums/manage/new")
        response = browser.submit(_form(name=name), button="Save category")
        assert response.status_code == 422
        assert "Another category has that name; choose a different one" in words_of(response)
    assert len(_categories(session)) == 1


def test_keeping_a_categorys_own_name_is_fine(browser, session, category, manager):
    sign_in(browser, manager)
    browser.get(f"/forums/manage/{category.id}")
    browser.submit({"description": "New words"}, button="Save category")
    assert browser.url == "/forums/manage"


def test_names_in_other_scripts_make_distinct_categories(browser, session, manager):
    sign_in(browser, manager)
    for name in ("日本語で話そう", "Говорим по-русски"):
        browser.get("/forums/manage/new")
        assert browser.submit(_form(name=name), button="Save category").status_code == 200, name
    slugs = [c.slug for c in _categories(session)]
    assert len(set(slugs)) == 2
    for slug in slugs:
        assert browser.get(f"/forums/c/{slug}/").status_code == 200


def test_the_manage_table_counts_threads(browser, session, category, manager):
    make_thread(session, category)
    make_thread(session, category)
    sign_in(browser, manager)
    page = browser.get("/forums/manage").get_data(as_text=True)
    assert "<caption id=\"categories-caption\">Categories in the order members see them</caption>" in page
    assert "<td>All members</td><td>2</td>" in page


def test_restricted_categories_are_labelled_on_the_index(browser, session, lounge, office):
    sign_in(browser, make_person(session, role="admin"))
    words = words_of(browser.get("/forums/"))
    assert "Mentors only" in words and "Community managers only" in words


@pytest.mark.parametrize("position", ["-1000", "1000", "", "007"])
def test_positions_within_the_range_are_accepted(browser, session, manager, position):
    sign_in(browser, manager)
    browser.get("/forums/manage/new")
    assert browser.submit(_form(position=position), button="Save category").status_code == 200
    assert _categories(session)[0].position == int(position or 0)
