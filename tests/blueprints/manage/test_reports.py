"""The queue's rules as plain functions: one report per member per item, a report made
again opens again, the queue's grouping, order, filters and pages, and decisions carried
out through the kind's declaration (forum posts here; tests/core/test_features.py shows
a kind from a feature outside the portal)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from portal.blueprints.forums import services as forums
from portal.blueprints.manage import reports
from portal.blueprints.manage.errors import ModerationError
from portal.blueprints.manage.models import Report
from portal.core.db import utcnow
from portal.core.features import registry
from tests.blueprints.forums.factories import make_person
from tests.blueprints.manage.factories import entry_of, reported_post


def _queue(session, status=reports.OPEN, kind=None, page=1):
    return reports.queue(session, registry().reportables, kind=kind, status=status, page=page)


# One report per member per item


def test_a_member_reports_an_item_once_and_reporting_again_replaces_the_reason(session, category, member):
    post = reported_post(session, category, None, member, reason="Spam")
    first = session.scalar(select(Report))
    created = first.created_at
    later = utcnow() + timedelta(minutes=5)
    again = reports.report(session, "forums.post", post.id, member, "  Spam, and rude  ", now=later)
    assert again.id == first.id
    assert session.scalar(select(func.count()).select_from(Report)) == 1
    assert (again.reason, again.status, again.created_at, again.updated_at) == ("Spam, and rude", "open", created,
                                                                                later)


def test_a_report_made_again_after_it_was_handled_opens_again(session, category, member, manager):
    post = reported_post(session, category, None, member, reason="Spam")
    reports.decide(session, entry_of(session, post), manager, reports.Decision(reports.DISMISS))
    session.expire_all()
    dismissed = session.scalar(select(Report))
    assert (dismissed.status, dismissed.resolved_by_id) == ("dismissed", manager.id)

    reopened = reports.report(session, "forums.post", post.id, member, "Still spam: it links to a shop")
    assert (reopened.status, reopened.reason) == ("open", "Still spam: it links to a shop")
    assert (reopened.resolved_by_id, reopened.resolved_at, reopened.resolution) == (None, None, "")
    assert [e.target_id for e in _queue(session).items] == [post.id]


def test_the_database_refuses_a_second_report_by_the_same_member(session, category, member):
    post = reported_post(session, category, None, member)
    row = {"kind": "forums.post", "target_id": post.id, "reporter_id": member.id, "reason": "Again", "status": "open",
           "created_at": utcnow(), "updated_at": utcnow(), "resolution": ""}
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(insert(Report).values(**row))


def test_reporters_who_left_do_not_count_as_one_member(session, category, member, other):
    """Their reports lose their reporter (ON DELETE SET NULL) and all stay."""
    post = reported_post(session, category, None, member, other)
    session.execute(Report.__table__.update().values(reporter_id=None))
    assert [r.reporter for r in entry_of(session, post).reports] == [None, None]


# The queue


def test_the_queue_shows_each_item_once_with_every_report_the_longest_waiting_first(session, category, member,
                                                                                   other):
    start = utcnow() - timedelta(hours=3)
    older = reported_post(session, category, reason="Rude")
    newer = reported_post(session, category, reason="Spam")
    reports.report(session, "forums.post", older.id, member, "Rude", now=start)
    reports.report(session, "forums.post", newer.id, other, "Spam", now=start + timedelta(hours=1))
    reports.report(session, "forums.post", older.id, other, "Very rude", now=start + timedelta(hours=2))
    page = _queue(session)
    assert [e.target_id for e in page.items] == [older.id, newer.id]
    assert page.total == 2
    assert [r.reason for r in page.items[0].reports] == ["Rude", "Very rude", "Rude"]
    assert page.items[0].item is not None and page.items[0].item.id == older.id
    assert page.items[0].title == f"post 2 in “{older.thread.title}”"


def test_handled_items_are_listed_apart_the_most_recently_handled_first(session, category, manager):
    first, second, still_open = (reported_post(session, category) for _ in range(3))
    reports.decide(session, entry_of(session, first), manager, reports.Decision(reports.DISMISS),
                   now=utcnow() - timedelta(hours=1))
    reports.decide(session, entry_of(session, second), manager, reports.Decision(reports.HIDE, "Spam"))
    assert [e.target_id for e in _queue(session, reports.HANDLED).items] == [second.id, first.id]
    assert [e.target_id for e in _queue(session).items] == [still_open.id]

    reports.report(session, "forums.post", first.id, make_person(session), "Spam again")
    assert [e.target_id for e in _queue(session, reports.HANDLED).items] == [second.id]
    [reopened] = [e for e in _queue(session).items if e.target_id == first.id]
    assert [r.status for r in reopened.reports] == ["dismissed", "open"], "the item's history comes along"


def test_the_queue_filters_by_kind(session, category):
    post = reported_post(session, category)
    assert [e.target_id for e in _queue(session, kind="forums.post").items] == [post.id]
    assert _queue(session, kind="forums.post").total == 1


def test_the_queue_comes_a_page_at_a_time(session, category):
    posts = [reported_post(session, category) for _ in range(reports.PAGE_SIZE + 2)]
    first, last = _queue(session), _queue(session, page=2)
    assert (first.total, first.pages, len(first.items)) == (reports.PAGE_SIZE + 2, 2, reports.PAGE_SIZE)
    assert [e.target_id for e in first.items + last.items] == [p.id for p in posts]
    assert _queue(session, page=99).number == 2


def test_an_item_that_no_longer_exists_stays_in_the_queue_and_can_only_be_dismissed(session, category, manager):
    post = reported_post(session, category)
    reports.report(session, "forums.post", 999_999, make_person(session), "Gone already")
    gone = next(e for e in _queue(session).items if e.target_id == 999_999)
    assert gone.item is None and gone.author is None
    assert gone.title == "a post that no longer exists"
    assert gone.actions() == [reports.DISMISS]
    reports.decide(session, gone, manager, reports.Decision(reports.DISMISS))
    assert [e.target_id for e in _queue(session).items] == [post.id]


def test_items_to_review_counts_items_not_reports(session, category, member, other):
    reported_post(session, category, None, member, other)
    reported_post(session, category)
    assert reports.items_to_review(session) == 2


# Deciding, through the kind's declaration


def test_the_actions_offered_follow_the_items_state(session, category, manager):
    post = reported_post(session, category)
    assert entry_of(session, post).actions() == [reports.DISMISS, reports.HIDE, reports.SUSPEND]
    reports.decide(session, entry_of(session, post), manager, reports.Decision(reports.HIDE, "Spam"))
    assert entry_of(session, post).actions() == [reports.RESTORE, reports.SUSPEND]
    deleted = reported_post(session, category)
    forums.delete_post(session, deleted)
    assert entry_of(session, deleted).actions() == [reports.DISMISS, reports.SUSPEND]


def test_dismissing_closes_the_open_reports_and_leaves_the_item(session, category, member, other, manager):
    post = reported_post(session, category, None, member, other)
    message = reports.decide(session, entry_of(session, post), manager, reports.Decision(reports.DISMISS))
    assert message == "The reports are dismissed; the post stays."
    after = entry_of(session, post)
    assert {(r.status, r.resolved_by_id, r.resolution) for r in after.reports} == {
        ("dismissed", manager.id, "Dismissed: the post stays")}
    assert after.item.is_visible


def test_hiding_uses_the_kinds_hide_and_restoring_its_restore(session, category, member, manager):
    post = reported_post(session, category, member)
    message = reports.decide(session, entry_of(session, post), manager, reports.Decision(reports.HIDE, " Unkind "))
    assert message == "The post is hidden and its author told why."
    assert (post.hidden_at is not None, post.hidden_reason) == (True, "Unkind")
    assert {r.resolution for r in entry_of(session, post).reports} == {"Hidden: Unkind"}

    assert reports.decide(session, entry_of(session, post), manager, reports.Decision(reports.RESTORE)) == (
        "The post is restored.")
    assert post.is_visible and post.hidden_reason == ""


def test_suspending_hides_the_item_and_suspends_its_author(session, category, member, manager):
    post = reported_post(session, category, member)
    decision = reports.Decision(reports.SUSPEND, "Repeated spam", timedelta(days=7))
    message = reports.decide(session, entry_of(session, post), manager, decision)
    assert message == "The post is hidden and its author suspended for 7 days."
    assert post.hidden_at is not None and member.is_suspended
    assert {r.resolution for r in entry_of(session, post).reports} == {
        "Hidden, and its author suspended for 7 days: Repeated spam"}


def test_suspending_the_author_of_a_hidden_item_leaves_it_hidden(session, category, member, manager):
    post = reported_post(session, category, member)
    forums.hide_post(session, post, manager, "Spam")
    message = reports.decide(session, entry_of(session, post), manager,
                             reports.Decision(reports.SUSPEND, "Spam, again", None))
    assert message == "Its author is suspended until a community manager lifts it."
    assert member.is_suspended and member.suspended_until is None


@pytest.mark.parametrize("action", [reports.HIDE, reports.RESTORE])
def test_an_action_the_items_state_does_not_allow_is_refused(session, category, manager, action):
    post = reported_post(session, category)
    if action == reports.HIDE:
        forums.hide_post(session, post, manager, "Spam")
    with pytest.raises(ModerationError, match="cannot be done to it now") as raised:
        reports.decide(session, entry_of(session, post), manager, reports.Decision(action, "Spam"))
    assert raised.value.field == "action"
    assert {r.status for r in entry_of(session, post).reports} == {"open"}


def test_a_refused_suspension_changes_nothing(session, category, admin, manager):
    post = reported_post(session, category, admin)
    with pytest.raises(ModerationError, match="cannot be suspended"):
        reports.decide(session, entry_of(session, post), manager,
                       reports.Decision(reports.SUSPEND, "Bossy", timedelta(days=1)))
    assert post.is_visible and not admin.is_suspended
    assert {r.status for r in entry_of(session, post).reports} == {"open"}
