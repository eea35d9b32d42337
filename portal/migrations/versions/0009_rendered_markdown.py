"""Markdown stored rendered beside its source

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 19:40:00

Each Markdown column gains an HTML column beside it, and each such table a
``markdown_version`` (0: never rendered). The new columns start empty; ``flask db
upgrade`` renders every row whose version is older than the renderer's right after
the migrations (portal.core.rendered.render_stale), so pages never parse Markdown.
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

RENDERED = {
    'forum_post': ('body_html',),
    'forum_post_revision': ('body_html',),
    'event': ('description_html', 'agenda_html', 'access_notes_html', 'followup_summary_html'),
    'user_account': ('bio_html',),
}


def upgrade() -> None:
    for table, columns in RENDERED.items():
        with op.batch_alter_table(table, recreate='never') as batch_op:
            for column in columns:
                batch_op.add_column(sa.Column(column, sa.Text(), nullable=False, server_default=''))
            batch_op.add_column(sa.Column('markdown_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    for table, columns in RENDERED.items():
        with op.batch_alter_table(table, recreate='never') as batch_op:
            batch_op.drop_column('markdown_version')
            for column in reversed(columns):
                batch_op.drop_column(column)
