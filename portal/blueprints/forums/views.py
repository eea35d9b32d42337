"""Forum pages. Thin: load (404), authorise (403), validate, call a service, commit once."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.core.forms import ConfirmForm
from portal.blueprints.forums import policies, queries, search, services
from portal.blueprints.forums.forms import (
    CategoryForm,
    EditForm,
    ModerateThreadForm,
    ReplyForm,
    ThreadForm,
)
from portal.blueprints.forums.models import Audience, Category, Post, Thread
from portal.core.db import bookkeeping
from portal.core.htmx import done, render, render_form
from portal.core.mail import external_url
from portal.core.permissions import Permission, can, require
from portal.core.routing import id_arg, page_arg
from portal.extensions import db

bp = Blueprint("forums", __name__)


# Loading, with the visibility rules


def _category(slug: str) -> Category:
    category = queries.category_by_slug(db.session, slug)
    if category is None or not policies.can_see_category(current_user, category):
        abort(404)
    return category


def _thread(thread_id: int) -> Thread:
    thread = queries.thread_with_category(db.session, thread_id)
    if thread is None or not policies.can_see_category(current_user, thread.category):
        abort(404)
    return thread


def _post(post_id: int) -> Post:
    post = queries.post_with_thread(db.session, post_id)
    if post is None or not policies.can_see_category(current_user, post.thread.category):
        abort(404)
    return post


def _own_post(post_id: int) -> Post:
    post = _post(post_id)
    if not policies.is_own_post(current_user, post):
        abort(403)
    return post


def _wants_preview() -> bool:
    return request.form.get("action") == "preview"


def _preview_response(page: str, form, **context):
    """Preview: htmx gets only the rendered text, announced; otherwise the page again, text kept."""
    return render(page, "forums/_preview.html", announce="The preview is below the buttons.",
                  form=form, preview=form.body.data or "", **context)


# Reading


@bp.get("/forums/")
def index():
    categories = queries.visible_categories(db.session, current_user)
    return render("forums/index.html", categories=categories, latest=queries.latest_threads(db.session, categories))


@bp.get("/forums/c/<slug>/")
def category(slug: str):
    category = _category(slug)
    page = queries.threads(db.session, category, page_arg())
    read = services.last_read(db.session, current_user, [t.id for t in page.items])
    return render("forums/category.html", category=category, result=page, read=read,
                  participants=queries.participants(db.session, page.items),
                  following=services.is_subscribed_category(db.session, category, current_user))


@bp.get("/forums/t/<int:thread_id>")
def thread(thread_id: int):
    thread = _thread(thread_id)
    page = queries.posts(db.session, thread, page_arg())
    marks = services.reader_marks(db.session, current_user, thread, [p.id for p in page.items])
    read_before = marks.read_up_to
    first_unread = None
    if read_before is not None and read_before < thread.post_count:
        first_unread = read_before + 1
    response = render(
        "forums/thread.html", thread=thread, result=page, read_before=read_before, first_unread=first_unread,
        helpful=marks.helpful, following=marks.following, preview=None,
        form=ReplyForm() if can(Permission.TAKE_PART) else None,  # a form's token sets a cookie
    )
    last_shown = page.items[-1].number if page.items else 0
    if services.marker_moves(read_before, last_shown):
        with bookkeeping(db.session):
            services.record_reading(db.session, thread, current_user, last_shown)
    return response


@bp.get("/forums/p/<int:post_id>")
def permalink(post_id: int):
    post = _post(post_id)
    return redirect(url_for("forums.thread", thread_id=post.thread_id, page=post.page, _anchor=f"post-{post.id}"))


# Writing


@bp.route("/forums/c/<slug>/new", methods=["GET", "POST"])
@require(Permission.TAKE_PART)
def new_thread(slug: str):
    category = queries.category_by_slug(db.session, slug)
    if category is None or (request.method == "GET" and not policies.can_post_in(current_user, category)):
        abort(404)
    form = ThreadForm()
    context = {"category": category}
    if request.method == "POST" and not policies.can_post_in(current_user, category):
        form.validate()
        form.body.errors.append("You cannot post in this category")
        return render("forums/new_thread.html", form=form, preview=None, status=422, category=None)
    if request.method == "POST" and _wants_preview():
        return _preview_response("forums/new_thread.html", form, **context)
    if form.validate_on_submit():
        try:
            thread = services.start_thread(db.session, category, current_user, form.title.data, form.body.data)
        except services.ForumError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            return done(url_for("forums.thread", thread_id=thread.id), "Your thread is posted. You are following it.")
    return render_form("forums/new_thread.html", form=form, preview=None, **context)


@bp.route("/forums/t/<int:thread_id>/reply", methods=["GET", "POST"])
@require(Permission.TAKE_PART)
def reply(thread_id: int):
    thread = _thread(thread_id)
    quoted = None
    quote_id = id_arg("quote")
    if quote_id:
        quoted = db.session.get(Post, quote_id)
        if quoted is None or quoted.thread_id != thread.id or not quoted.is_visible:
            quoted = None
    form = ReplyForm()
    if request.method == "GET" and quoted is not None:
        form.body.data = services.quote_text(quoted)
    context = {"thread": thread, "quoted": quoted}
    if request.method == "POST" and _wants_preview():
        return _preview_response("forums/reply.html", form, **context)
    if form.validate_on_submit():
        try:
            post = services.reply(db.session, thread, current_user, form.body.data, quoted)
        except services.ForumError as error:
            form.body.errors.append(error.message)
        else:
            db.session.commit()
            return done(url_for("forums.permalink", post_id=post.id), "Your reply is posted.")
    elif request.method == "POST" and thread.locked:
        form.body.errors.append("This thread is locked, so no one can reply to it")
    return render_form("forums/reply.html", form=form, preview=None, **context)


@bp.route("/forums/p/<int:post_id>/edit", methods=["GET", "POST"])
@require(Permission.TAKE_PART)
def edit(post_id: int):
    post = _own_post(post_id)
    if post.hidden_at is not None or post.thread.locked:
        abort(403)
    form = EditForm(obj=post)
    if request.method == "POST" and _wants_preview():
        return _preview_response("forums/edit.html", form, post=post)
    if form.validate_on_submit():
        services.edit_post(db.session, post, form.body.data)
        db.session.commit()
        return done(url_for("forums.permalink", post_id=post.id), "Your post is updated.")
    return render_form("forums/edit.html", form=form, post=post, preview=None)


@bp.route("/forums/p/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete(post_id: int):
    post = _own_post(post_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_post(db.session, post)
        db.session.commit()
        return done(url_for("forums.permalink", post_id=post.id), "Your post is deleted.")
    return render("forums/delete.html", post=post, form=form)


@bp.post("/forums/p/<int:post_id>/helpful")
@require(Permission.TAKE_PART)
def helpful(post_id: int):
    post = _post(post_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not post.is_visible or post.author_id == current_user.id:
        abort(403)
    marked = services.toggle_helpful(db.session, post, current_user)
    db.session.commit()
    message = "Marked as helpful." if marked else "Helpful mark removed."
    return done(url_for("forums.permalink", post_id=post.id), message, "forums/_helpful.html",
                post=post, marked=marked)


@bp.get("/forums/p/<int:post_id>/history")
@require(Permission.MODERATE)
def history(post_id: int):
    post = _post(post_id)
    return render("forums/history.html", post=post, revisions=queries.revisions(db.session, post))


# Following


def _followed(noun: str, following: bool, message: str, page_url: str, follow_url: str):
    db.session.commit()
    return done(page_url, message, "forums/_follow.html", following=following, follow_url=follow_url,
                noun=noun)


@bp.post("/forums/t/<int:thread_id>/follow")
@require(Permission.TAKE_PART)
def follow_thread(thread_id: int):
    thread = _thread(thread_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    following = services.toggle_thread_subscription(db.session, thread, current_user)
    message = (f"You are following “{thread.title}”. Replies reach you by your email choice." if following
               else f"You are no longer following “{thread.title}”.")
    return _followed("thread", following, message, url_for("forums.thread", thread_id=thread.id),
                     url_for("forums.follow_thread", thread_id=thread.id))


@bp.post("/forums/c/<slug>/follow")
@require(Permission.TAKE_PART)
def follow_category(slug: str):
    category = _category(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    following = services.toggle_category_subscription(db.session, category, current_user)
    message = (f"You are following {category.name}: new threads reach you by your email choice." if following
               else f"You are no longer following {category.name}.")
    return _followed("category", following, message, url_for("forums.category", slug=category.slug),
                     url_for("forums.follow_category", slug=category.slug))


# Moderation


@bp.route("/forums/t/<int:thread_id>/moderate", methods=["GET", "POST"])
@require(Permission.MODERATE)
def moderate_thread(thread_id: int):
    thread = _thread(thread_id)
    categories = queries.categories(db.session)
    form = ModerateThreadForm(obj=thread)
    form.category.choices = [(c.id, c.name) for c in categories]
    if request.method == "GET":
        # ``obj`` wins over keyword arguments, and thread.category is the Category itself,
        # so no option was selected and a browser would post the first: a silent move.
        form.category.data = thread.category_id
    if form.validate_on_submit():
        target = next(c for c in categories if c.id == form.category.data)
        services.set_thread_flags(db.session, thread, title=form.title.data, pinned=form.pinned.data,
                                  locked=form.locked.data, category=target)
        db.session.commit()
        return done(url_for("forums.thread", thread_id=thread.id), "The thread is updated.")
    return render_form("forums/moderate.html", form=form, thread=thread)


@bp.get("/forums/manage")
@require(Permission.MODERATE)
def categories():
    rows = queries.categories(db.session)
    return render("forums/categories.html", categories=rows)


@bp.route("/forums/manage/new", methods=["GET", "POST"], defaults={"category_id": None})
@bp.route("/forums/manage/<int:category_id>", methods=["GET", "POST"])
@require(Permission.MODERATE)
def category_form(category_id: int | None):
    category = db.session.get(Category, category_id) if category_id else None
    if category_id and category is None:
        abort(404)
    form = CategoryForm(obj=category)
    if request.method == "GET":
        form.audience.data = category.audience if category else Audience.MEMBERS.value
        form.position.data = str(category.position) if category else "0"
    if form.validate_on_submit():
        try:
            saved = services.save_category(db.session, category, name=form.name.data,
                                           description=form.description.data or "",
                                           audience=form.audience.data, position=int(form.position.data or 0))
        except services.ForumError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            return done(url_for("forums.categories"), f"The category {saved.name} is saved.")
    return render_form("forums/category_form.html", form=form, category=category)


# Finding


@bp.get("/forums/search")
def search_posts():
    query = request.args.get("q", "").strip()[:200]
    visible = queries.visible_categories(db.session, current_user)
    result = search.search(db.session, query, [c.id for c in visible], page_arg())
    posts = queries.posts_by_id(db.session, [h.post_id for h in result.hits])
    count = (f"More than {result.total:,} posts match" if result.more else
             f"{result.total} {'post matches' if result.total == 1 else 'posts match'}")
    found = (f"{count} “{query}”{f', page {result.number} of {result.pages}' if result.pages > 1 else ''}."
             if query else None)
    return render("forums/search.html", "forums/_search_results.html", announce=found, query=query,
                  result=result, posts=posts)


@bp.get("/forums/c/<slug>/feed.atom")
def feed(slug: str):
    category = _category(slug)
    if category.audience != Audience.MEMBERS:
        abort(404)
    threads = queries.recent_threads(db.session, category)
    firsts = queries.first_posts(db.session, threads)
    body = render_template("forums/feed.atom", category=category, threads=threads, firsts=firsts,
                           external_url=external_url)
    return Response(body, mimetype="application/atom+xml")
