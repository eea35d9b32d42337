"""Markdown rendered when it is written, not each time it is read.

A model that holds Markdown mixes in ``RenderedMarkdown`` and names its Markdown
columns in ``__markdown__`` (source attribute to HTML attribute). Before every flush,
a new row's sources (unless it was made with current HTML, as a copy of a rendered
row), or a changed row's when any source changed, are rendered with
``text.render_markdown`` (headings from level 3, images kept) into their HTML columns,
and ``markdown_version`` records the renderer that did it. Pages show the stored HTML
through ``text.shown``, which parses nothing.

Rows written by plain ``insert``/``update`` statements bypass this; ``render_stale``
(run by ``flask db upgrade``, and by ``flask render-markdown``) brings every row whose
rendering is older than ``text.RENDERER_VERSION`` up to date.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.db import Base
from portal.core.text import RENDERER_VERSION, render_markdown

BATCH = 500


class RenderedMarkdown:
    """Mixin for a model with Markdown columns; see the module's description."""

    __markdown__: ClassVar[Mapping[str, str]] = {}

    # Which renderer wrote the HTML columns; 0 until the first rendering.
    markdown_version: Mapped[int] = mapped_column(default=0)

    def markdown_mentions(self, session: Session) -> Mapping[str, str]:
        """Lowercased names to profile addresses of the people this row's Markdown may
        @mention as links; none unless the model says otherwise. Called while flushing,
        with autoflush off."""
        return {}


def stored_html(source: str, mentions: Mapping[str, str] | None = None) -> str:
    """The HTML kept for Markdown ``source``: headings from level 3 and images as images,
    which ``text.shown`` adjusts for each page and reader."""
    return str(render_markdown(source or "", images_as_links=False, mentions=mentions))


def render_row(session: Session, row: RenderedMarkdown) -> None:
    """Render every Markdown column of ``row`` into its HTML column, now."""
    with session.no_autoflush:
        mentions = row.markdown_mentions(session)
    for source, target in row.__markdown__.items():
        setattr(row, target, stored_html(getattr(row, source), mentions))
    row.markdown_version = RENDERER_VERSION


def _sources_changed(row: RenderedMarkdown) -> bool:
    state = inspect(row)
    return any(state.attrs[source].history.has_changes() for source in row.__markdown__)


def _needs_rendering(session: Session, row: RenderedMarkdown) -> bool:
    if row in session.new:  # unless made with its HTML already (a copy of a rendered row)
        return row.markdown_version != RENDERER_VERSION
    return _sources_changed(row)


@event.listens_for(Session, "before_flush")
def _render_written(session: Session, _context, _instances) -> None:
    for row in [*session.new, *session.dirty]:
        if isinstance(row, RenderedMarkdown) and _needs_rendering(session, row):
            render_row(session, row)


def rendered_models() -> Iterator[type[RenderedMarkdown]]:
    for mapper in Base.registry.mappers:
        if issubclass(mapper.class_, RenderedMarkdown):
            yield mapper.class_


def render_stale(session: Session, everything: bool = False) -> int:
    """Render again every row whose HTML an older renderer wrote (``everything``: every
    row), in batches that each end with a commit; return how many rows were rendered."""
    count = 0
    for model in rendered_models():
        stale = select(model).order_by(model.id).limit(BATCH)
        if not everything:
            stale = stale.where(model.markdown_version < RENDERER_VERSION)
        last_id = 0
        while rows := session.scalars(stale.where(model.id > last_id)).all():
            for row in rows:
                render_row(session, row)
            count += len(rows)
            last_id = rows[-1].id
            session.commit()
    return count
