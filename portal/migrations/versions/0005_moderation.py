"""moderation: one report table for every reportable kind, and suspensions

Forum reports move into ``moderation_report`` as kind "forums.post" (one per member per
post: when a member reported a post more than once, their newest reason is kept, dated
from their first report). Members suspended before this revision get a suspension row
with no end and nobody recorded as giving it. Downgrading moves forum-post reports back
(reports of other kinds cannot be kept), and clears suspensions that have ended, since
the older schema has no end time.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00.000000
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import portal.core.db

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('moderation_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=600), nullable=False),
    sa.CheckConstraint("status IN ('open', 'dismissed', 'actioned')", name=op.f('ck_moderation_report_status')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user_account.id'], name=op.f('fk_moderation_report_reporter_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user_account.id'], name=op.f('fk_moderation_report_resolved_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_report')),
    sa.UniqueConstraint('kind', 'target_id', 'reporter_id', name=op.f('uq_moderation_report_kind_target_id_reporter_id'))
    )
    with op.batch_alter_table('moderation_report', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_report_status_resolved', ['status', 'resolved_at'], unique=False)
        batch_op.create_index('ix_moderation_report_status_updated', ['status', 'updated_at'], unique=False)

    op.create_table('suspension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('starts_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('ends_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('suspended_by_id', sa.Integer(), nullable=True),
    sa.Column('lifted_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('ends_at IS NULL OR ends_at > starts_at', name=op.f('ck_suspension_ends_after_start')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['user_account.id'], name=op.f('fk_suspension_lifted_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['suspended_by_id'], ['user_account.id'], name=op.f('fk_suspension_suspended_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_suspension_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suspension'))
    )
    with op.batch_alter_table('suspension', schema=None) as batch_op:
        batch_op.create_index('ix_suspension_lifted_ends', ['lifted_at', 'ends_at'], unique=False)
        batch_op.create_index('ix_suspension_user_starts', ['user_id', 'starts_at'], unique=False)

    # ALTER TABLE in place (SQLite 3.35+ drops columns itself): rebuilding user_account, as
    # batch mode otherwise does on SQLite, would fire every ON DELETE that points at it.
    with op.batch_alter_table('user_account', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('suspended_until', portal.core.db.UTCDateTime(), nullable=True))

    _move_forum_reports_up()
    op.execute("INSERT INTO suspension (user_id, reason, starts_at) "
               "SELECT id, suspension_reason, suspended_at FROM user_account WHERE suspended_at IS NOT NULL")

    with op.batch_alter_table('forum_report', schema=None) as batch_op:
        batch_op.drop_index('ix_forum_report_status_created')
    op.drop_table('forum_report')


def _move_forum_reports_up() -> None:
    """One row per member per post: the member's newest report, dated from their first.
    Reports whose reporter has left (no reporter) are each kept."""
    op.execute("""
        INSERT INTO moderation_report (kind, target_id, reporter_id, reason, status, created_at, updated_at,
                                       resolved_by_id, resolved_at, resolution)
        SELECT 'forums.post', f.post_id, f.reporter_id, f.reason, f.status,
               COALESCE((SELECT min(e.created_at) FROM forum_report e
                         WHERE e.post_id = f.post_id AND e.reporter_id = f.reporter_id), f.created_at),
               COALESCE(f.resolved_at, f.created_at), f.resolved_by_id, f.resolved_at, f.resolution
        FROM forum_report f
        WHERE f.reporter_id IS NULL
           OR f.id = (SELECT max(n.id) FROM forum_report n
                      WHERE n.post_id = f.post_id AND n.reporter_id = f.reporter_id)
        ORDER BY f.id
    """)


def downgrade() -> None:
    op.create_table('forum_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=500), nullable=False),
    sa.CheckConstraint("status IN ('open', 'dismissed', 'actioned')", name=op.f('ck_forum_report_status')),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_report_post_id_forum_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['user_account.id'], name=op.f('fk_forum_report_reporter_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user_account.id'], name=op.f('fk_forum_report_resolved_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_report'))
    )
    with op.batch_alter_table('forum_report', schema=None) as batch_op:
        batch_op.create_index('ix_forum_report_status_created', ['status', 'created_at'], unique=False)
    op.execute("""
        INSERT INTO forum_report (post_id, reporter_id, reason, status, created_at, resolved_by_id, resolved_at,
                                  resolution)
        SELECT target_id, reporter_id, reason, status, created_at, resolved_by_id, resolved_at,
               substr(resolution, 1, 500)
        FROM moderation_report
        WHERE kind = 'forums.post' AND target_id IN (SELECT id FROM forum_post)
        ORDER BY id
    """)
    now = sa.bindparam("now", datetime.now(UTC), type_=portal.core.db.UTCDateTime())
    op.execute(sa.text("UPDATE user_account SET suspended_at = NULL, suspension_reason = '' "
                       "WHERE suspended_until IS NOT NULL AND suspended_until <= :now").bindparams(now))

    with op.batch_alter_table('user_account', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('suspended_until')

    with op.batch_alter_table('suspension', schema=None) as batch_op:
        batch_op.drop_index('ix_suspension_user_starts')
        batch_op.drop_index('ix_suspension_lifted_ends')
    op.drop_table('suspension')

    with op.batch_alter_table('moderation_report', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_report_status_updated')
        batch_op.drop_index('ix_moderation_report_status_resolved')
    op.drop_table('moderation_report')
