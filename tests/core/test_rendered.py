"""Markdown is rendered when it is written and kept beside its source; pages show the
stored HTML and parse no Markdown; ``render_stale`` catches up after a renderer change."""

from __future__ import annotations

from markdown_it import MarkdownIt
from sqlalchemy import update

from portal.blueprints.events.models import Event
from portal.blueprints.forums import services
from portal.blueprints.forums.models import Post, PostRevision
from portal.core.db import utcnow
from portal.core.rendered import render_stale
from portal.core.text import RENDERER_VERSION
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.events.factories import make_event
from tests.blueprints.forums.factories import make_person, make_post, make_thread
from tests.helpers import text_of


def test_a_post_is_stored_rendered_and_rendered_again_when_edited(session, category, member):
    thread = make_thread(session, category, member, body="First **draft**")
    post = thread_first_post(session, thread)
    assert (post.body_html, post.markdown_version) == ("<p>First <strong>draft</strong></p>\n", RENDERER_VERSION)
    services.edit_post(session, post, "# Second\n\nNow *final*")
    assert post.body_html == "<h3>Second</h3>\n<p>Now <em>final</em></p>\n"
    revision = session.query(PostRevision).filter_by(post_id=post.id).one()
    assert revision.body_html == "<p>First <strong>draft</strong></p>\n", "the earlier version keeps its own"


def test_only_a_change_to_the_markdown_renders_again(session, category, member):
    post = thread_first_post(session, make_thread(session, category, member, body="Kept"))
    post.body_html = "<p>as stored</p>"
    session.flush()
    post.hidden_at, post.hidden_reason = utcnow(), "Off topic"
    session.flush()
    assert post.body_html == "<p>as stored</p>"


def test_every_markdown_column_of_an_event_and_a_profile_is_rendered(session):
    event = make_event(session, description="About **this**", agenda="1. Welcome", access_notes="Ramp at *side*",
                       followup_summary="Slides are _up_")
    assert [event.description_html, event.agenda_html, event.access_notes_html, event.followup_summary_html] == [
        "<p>About <strong>this</strong></p>\n", "<ol>\n<li>Welcome</li>\n</ol>\n",
        "<p>Ramp at <em>side</em></p>\n", "<p>Slides are <em>up</em></p>\n"]
    person = make_user(session, bio="I *mentor* analysts")
    assert person.bio_html == "<p>I <em>mentor</em> analysts</p>\n"


def test_mentions_link_the_people_named_when_the_post_is_written(session, category, member, other):
    post = make_post(session, make_thread(session, category, member), member, body="Thanks @Olu Other and @Late Comer")
    assert f'<a href="/people/{other.id}" class="mention" rel="nofollow ugc noopener">@Olu Other</a>' in post.body_html
    assert "and @Late Comer" in post.body_html, "nobody of that name yet: not a link"
    late = make_person(session, display_name="Late Comer")
    later = make_post(session, post.thread, member, body="Hello @Late Comer")
    assert f'<a href="/people/{late.id}" class="mention" rel="nofollow ugc noopener">@Late Comer</a>' in later.body_html


def test_rows_an_older_renderer_wrote_are_rendered_again(session, category, member):
    post = thread_first_post(session, make_thread(session, category, member, body="Plain *words*"))
    event = make_event(session, description="An **event**")
    session.execute(update(Post).where(Post.id == post.id).values(body_html="", markdown_version=0))
    session.execute(update(Event).where(Event.id == event.id).values(description_html="old", markdown_version=0))
    session.expire_all()
    assert render_stale(session) == 2
    assert session.get(Post, post.id).body_html == "<p>Plain <em>words</em></p>\n"
    assert session.get(Event, event.id).description_html == "<p>An <strong>event</strong></p>\n"
    assert render_stale(session) == 0, "nothing left to do"
    assert render_stale(session, everything=True) >= 2


def test_showing_pages_parses_no_markdown(browser, session, category, member, monkeypatch):
    thread = make_thread(session, category, member, body="A **bold** opening")
    make_post(session, thread, member, body="A reply with ![a chart](https://example.org/c.png)")
    event = make_event(session, description="Come **along**")
    member.bio = "I *like* SQL"
    session.commit()
    sign_in(browser, member)

    def refuse(*_args, **_kwargs):
        raise AssertionError("a page parsed Markdown")

    monkeypatch.setattr(MarkdownIt, "render", refuse)
    monkeypatch.setattr(MarkdownIt, "parse", refuse)
    assert "<strong>bold</strong>" in browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    assert "Image: a chart" in text_of(browser.get(f"/forums/t/{thread.id}"))
    assert "<strong>along</strong>" in browser.get(f"/events/{event.id}").get_data(as_text=True)
    assert "<em>like</em>" in browser.get(f"/people/{member.id}").get_data(as_text=True)


def test_the_command_renders_everything_again(app, session, category, member):
    make_thread(session, category, member, body="One")
    session.commit()
    result = app.test_cli_runner().invoke(args=["render-markdown", "--all"])
    assert result.exit_code == 0 and result.output.startswith("Rendered ")


def thread_first_post(session, thread) -> Post:
    return session.query(Post).filter_by(thread_id=thread.id, number=1).one()
