"""The moderation queue, the report page and the suspensions page, through the real forms:
without JavaScript (POST, 303, a banner) and with htmx (``HX-Request``: the item's
fragment, announced, confirmed on screen, or the error summary swapped in at the top)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.manage import reports
from portal.blueprints.manage.models import Report
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_person
from tests.helpers import HX, browser_for, elements, links, words_of
from tests.blueprints.manage.factories import entry_of, reported_post, suspend


def _button(post) -> str:
    return f"Decide on post 2 in “{post.thread.title}”"


def _fields(post, **values) -> dict:
    return {f"forums-post-{post.id}-{name}": value for name, value in values.items()}


def _ids(markup: str) -> Counter:
    return Counter(e.attrs["id"] for e in elements(markup) if "id" in e.attrs)


# The queue, without JavaScript


def test_an_empty_queue_says_nothing_needs_attention(browser, manager):
    sign_in(browser, manager)
    words = words_of(browser.get("/manage/moderation"))
    assert "0 items with open reports" in words and "Nothing needs your attention" in words


def test_each_item_has_its_own_form_and_every_id_on_the_page_is_unique(browser, session, category, manager):
    posts = [reported_post(session, category) for _ in range(3)]
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    assert [n for n, count in _ids(browser.html).items() if count > 1] == []
    for post in posts:
        form = browser.form(button=_button(post))
        assert form.action == f"/manage/moderation/forums.post/{post.id}"
        assert set(form.choices) == {f"forums-post-{post.id}-action", f"forums-post-{post.id}-length"}


def test_the_filters_are_a_get_form_and_the_pages_keep_them(browser, session, category, manager):
    for _ in range(reports.PAGE_SIZE + 1):
        reported_post(session, category)
    handled = reported_post(session, category)
    reports.decide(session, entry_of(session, handled), manager, reports.Decision(reports.DISMISS))
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    assert f"{reports.PAGE_SIZE + 1} items with open reports" in words_of(browser.page)
    browser.submit({"kind": "forums.post", "status": "handled"}, button="Show reports")
    assert browser.page.request.full_path == "/manage/moderation?kind=forums.post&status=handled"
    assert "1 item handled" in words_of(browser.page)
    assert "Dismissed: the post stays" in words_of(browser.page)
    browser.get("/manage/moderation?kind=forums.post")
    assert ("Next page", "/manage/moderation?page=2&kind=forums.post") in links(browser.html)


def test_filters_nobody_offers_fall_back_to_the_open_queue(browser, session, category, manager):
    reported_post(session, category)
    session.commit()
    sign_in(browser, manager)
    page = browser.get("/manage/moderation?kind=no.such.kind&status=everything&page=banana")
    assert page.status_code == 200
    assert "1 item with open reports" in words_of(page)
    assert "Error" not in words_of(page)


def test_a_decision_goes_back_to_the_same_filters_and_page_with_a_banner(browser, session, category, manager):
    posts = [reported_post(session, category) for _ in range(reports.PAGE_SIZE + 1)]
    session.commit()
    sign_in(browser, manager)
    last = posts[-1]
    browser.get("/manage/moderation?kind=forums.post&page=2")
    response = browser.submit(_fields(last, action="dismiss"), button=_button(last), follow=False)
    assert response.status_code == 303
    assert response.headers["Location"] == "/manage/moderation?kind=forums.post&page=2"
    browser.follow(response)
    banner = [e.text.strip() for e in elements(browser.html) if "notice-success" in e.attrs.get("class", "")]
    assert banner == ["The reports are dismissed; the post stays."]


def test_an_error_shows_beside_that_items_field_with_the_summary_at_the_top(browser, session, category, manager):
    first, second = reported_post(session, category), reported_post(session, category)
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    response = browser.submit(_fields(second, action="hide", reason=""), button=_button(second))
    assert response.status_code == 422
    assert browser.html.index('class="error-summary"') < browser.html.index("<h1>")
    assert ('Give a reason; the author will see it', f"#forums-post-{second.id}-reason") in links(browser.html)
    errors = {e.attrs["id"] for e in elements(browser.html) if e.attrs.get("class") == "field-error"}
    assert errors == {f"forums-post-{second.id}-reason-error"}
    [field] = [e for e in elements(browser.html) if e.attrs.get("id") == f"forums-post-{second.id}-reason"]
    assert field.attrs["aria-describedby"] == f"forums-post-{second.id}-reason-error"
    assert dict(browser.form(button=_button(second)).fields)[f"forums-post-{second.id}-action"] == "hide"
    assert f"forums-post-{first.id}-action" not in dict(browser.form(button=_button(first)).fields)
    assert [n for n, count in _ids(browser.html).items() if count > 1] == []
    assert "<title>Error: " in browser.html


def test_an_item_another_moderator_took_off_the_page_still_shows_its_errors(browser, session, category, manager,
                                                                             admin):
    post = reported_post(session, category)
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    reports.decide(session, entry_of(session, post), admin, reports.Decision(reports.DISMISS))
    session.commit()
    response = browser.submit(_fields(post, action="dismiss"), button=_button(post))
    assert response.status_code == 422
    words = words_of(response)
    assert "0 items with open reports" in words, "the queue as it is now"
    assert "There is a problem Choose what should happen" in words and "Handled by Ada Admin" in words
    assert browser.form(button=_button(post)).action == f"/manage/moderation/forums.post/{post.id}"


# The queue, with htmx


def test_filtering_with_htmx_returns_the_results_only(browser, session, category, manager):
    reported_post(session, category)
    session.commit()
    sign_in(browser, manager)
    response = browser.client.get("/manage/moderation?status=open", headers=HX)
    body = response.get_data(as_text=True)
    assert body.startswith('<div id="queue-results">') and "<html" not in body
    assert 'data-hx-swap-oob="innerHTML">1 item with open reports.</div>' in body
    assert "HX-Request" in response.headers["Vary"]


def test_a_decision_with_htmx_swaps_the_item_announces_and_shows_what_was_done(browser, session, category,
                                                                               manager, member):
    post = reported_post(session, category, member)
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    response = browser.submit(_fields(post, action="hide", reason="Unkind"), button=_button(post), headers=HX,
                              follow=False)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.startswith('<div id="queue-errors" data-hx-swap-oob="innerHTML"></div>'), "old errors are cleared"
    assert f'<section class="report" id="item-forums-post-{post.id}"' in body and "<html" not in body
    assert "Done: The post is hidden and its author told why." in body
    assert 'data-hx-swap-oob="innerHTML">The post is hidden and its author told why.</div>' in body
    assert "Hidden by a moderator. Reason: Unkind" in body
    assert "Handled by Mia Manager" in body
    assert ">Restore the post: readers see it again</label>" in body, "what can be done now is offered"
    assert 'value="hide"' not in body
    session.refresh(post)
    assert post.hidden_reason == "Unkind"


def test_a_decision_with_htmx_that_needs_correcting_puts_the_summary_at_the_top(browser, session, category,
                                                                                manager):
    post = reported_post(session, category)
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    response = browser.submit(_fields(post, action="suspend", reason="Spam"), button=_button(post), headers=HX,
                              follow=False)
    assert response.status_code == 422
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == ("#queue-errors", "innerHTML")
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div class="error-summary"')
    assert f'href="#forums-post-{post.id}-length-0">Choose how long the suspension lasts</a>' in body
    assert f'id="item-forums-post-{post.id}" aria-labelledby="item-forums-post-{post.id}-heading" ' \
           'data-hx-swap-oob="true"' in body
    assert f'id="forums-post-{post.id}-length-error"' in body
    assert re.search(rf'id="forums-post-{post.id}-action-\d+" name="[^"]+" required type="radio" value="suspend"'
                     r'\s*checked|checked[^>]*value="suspend"', body), "the choice made is kept"
    assert "Spam</textarea>" in body


# Reporting


def test_the_report_page_thanks_the_member_and_a_second_report_replaces_the_reason(app, browser, session,
                                                                                   category, member):
    post = reported_post(session, category, None, make_person(session))
    session.commit()
    sign_in(browser, member)
    browser.get(f"/report/forums.post/{post.id}")
    assert "Report post 2 in “" in words_of(browser.page)
    browser.submit({"reason": "Spam"}, button="Send report")
    assert "Thank you. The moderators will look at the post." in words_of(browser.page)

    browser.get(f"/report/forums.post/{post.id}")
    assert "You reported this post" in words_of(browser.page)
    assert "Sending again replaces your reason" in words_of(browser.page)
    assert dict(browser.form(button="Send report").fields)["reason"].strip() == "Spam"
    browser.submit({"reason": "Spam, and it links to a shop"}, button="Send report")
    mine = session.scalars(select(Report).where(Report.reporter_id == member.id)).all()
    assert [r.reason for r in mine] == ["Spam, and it links to a shop"]


def test_the_report_page_says_when_an_earlier_report_was_handled(browser, session, category, member, manager):
    post = reported_post(session, category, None, member)
    reports.decide(session, entry_of(session, post), manager, reports.Decision(reports.DISMISS))
    session.commit()
    sign_in(browser, member)
    words = words_of(browser.get(f"/report/forums.post/{post.id}"))
    assert "a moderator looked at it" in words and "tell them again" in words
    assert dict(browser.form(button="Send report").fields)["reason"].strip() == ""


def test_the_report_page_of_an_unknown_kind_or_a_missing_item_is_not_found(browser, session, member):
    sign_in(browser, member)
    assert browser.get("/report/nothing.here/1").status_code == 404
    assert browser.get("/report/forums.post/999999").status_code == 404


# Suspensions


def test_the_suspensions_page_says_who_why_and_until_when(browser, session, member, other, manager):
    until = suspend(session, member, manager, days=7, reason="Spam in private messages")
    suspend(session, other, manager, days=None, reason="Threats")
    session.commit()
    sign_in(browser, manager)
    words = words_of(browser.get("/manage/suspensions"))
    assert "2 suspensions in force" in words
    assert "Mo Member Spam in private messages" in words and "Olu Other Threats" in words
    assert "Until lifted" in words and until.ends_at.isoformat(timespec="seconds") in browser.html
    assert "Mia Manager" in words
    assert "Lift the suspension of Mo Member" in [text for _, _, text in browser.form(
        button="Lift the suspension of Mo Member").buttons]


def test_lifting_a_suspension_without_javascript(app, browser, session, member, manager):
    suspension = suspend(session, member, manager)
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/suspensions")
    browser.submit(button="Lift the suspension of Mo Member")
    assert browser.url == "/manage/suspensions"
    assert "The suspension is lifted: Mo Member can take part again." in words_of(browser.page)
    assert "0 suspensions in force" in words_of(browser.page) and "Nobody is suspended" in words_of(browser.page)
    browser.get("/manage/suspensions?show=ended")
    assert "1 suspension ended in the last 90 days" in words_of(browser.page)
    assert "Lifted by Mia Manager" in words_of(browser.page)
    session.refresh(suspension)
    assert suspension.lifted_by_id == manager.id


def test_lifting_a_suspension_with_htmx_swaps_the_list_and_says_so(browser, session, member, manager):
    suspend(session, member, manager)
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/suspensions")
    response = browser.submit(button="Lift the suspension of Mo Member", headers=HX, follow=False)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.startswith('<div id="suspensions">')
    assert "Done: The suspension is lifted: Mo Member can take part again." in body
    assert 'data-hx-swap-oob="innerHTML">The suspension is lifted: Mo Member can take part again.</div>' in body
    assert "Nobody is suspended" in body


def test_lifting_a_suspension_that_already_ended_says_so(browser, session, member, manager):
    suspension = suspend(session, member, manager, days=1)
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/suspensions")
    suspension.ends_at = utcnow() - timedelta(minutes=1)
    suspension.starts_at = utcnow() - timedelta(days=1)
    session.commit()
    browser.submit(button="Lift the suspension of Mo Member")
    assert "Mo Member’s suspension had already ended." in words_of(browser.page)


def test_a_suspension_signs_the_person_out_and_their_refusals_say_why_and_until_when(app, session, category,
                                                                                     member, manager):
    author = browser_for(app, member)
    suspension = suspend(session, member, manager, days=7, reason="Repeated spam")
    session.commit()
    assert author.get("/account").status_code == 302, "their session ended"
    sign_in(author, member)
    refused = author.get(f"/forums/c/{category.slug}/new")
    assert refused.status_code == 403
    words = words_of(refused)
    assert "Your account is suspended from taking part until" in words and "The reason: Repeated spam" in words
    assert f'<time datetime="{suspension.ends_at.isoformat(timespec="seconds")}">' in author.html


def test_a_suspension_until_lifted_says_so_when_refused(app, browser, session, category, member, manager):
    suspend(session, member, manager, days=None, reason="Threats")
    session.commit()
    sign_in(browser, member)
    words = words_of(browser.get(f"/forums/c/{category.slug}/new"))
    assert "suspended from taking part until a community manager lifts the suspension" in words
    assert "The reason: Threats" in words


def test_once_a_suspension_ends_the_person_takes_part_again(browser, session, category, member, manager):
    suspend(session, member, manager, days=1, now=utcnow() - timedelta(days=2))
    session.commit()
    sign_in(browser, member)
    assert browser.get(f"/forums/c/{category.slug}/new").status_code == 200


# The dashboard


def test_the_dashboard_links_the_open_reports_to_the_queue(browser, session, category, manager):
    reported_post(session, category)
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/")
    assert ("1 reported item to review", "/manage/moderation") in links(browser.html)
    assert ("0 people suspended", "/manage/suspensions") in links(browser.html)
