"""forums

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 15:15:20.445802
"""

from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('forum_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('thread_count', sa.Integer(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('last_post_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("audience IN ('members', 'mentors', 'managers')", name=op.f('ck_forum_category_audience')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_category')),
    sa.UniqueConstraint('slug', name=op.f('uq_forum_category_slug'))
    )
    op.create_table('forum_category_subscription',
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['forum_category.id'], name=op.f('fk_forum_category_subscription_category_id_forum_category'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_forum_category_subscription_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('category_id', 'user_id', name=op.f('pk_forum_category_subscription'))
    )
    with op.batch_alter_table('forum_category_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_category_subscription_user_id'), ['user_id'], unique=False)

    op.create_table('forum_thread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('last_post_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_post_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint('post_count >= 0', name=op.f('ck_forum_thread_post_count')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_forum_thread_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['category_id'], ['forum_category.id'], name=op.f('fk_forum_thread_category_id_forum_category'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_thread'))
    )
    with op.batch_alter_table('forum_thread', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_thread_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_forum_thread_listing', ['category_id', 'pinned', 'last_post_at', 'id'], unique=False)

    op.create_table('forum_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('quoted_post_id', sa.Integer(), nullable=True),
    sa.Column('helpful_count', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('edited_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('deleted_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('hidden_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_forum_post_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['quoted_post_id'], ['forum_post.id'], name=op.f('fk_forum_post_quoted_post_id_forum_post'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['forum_thread.id'], name=op.f('fk_forum_post_thread_id_forum_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_post')),
    sa.UniqueConstraint('thread_id', 'number', name=op.f('uq_forum_post_thread_id_number'))
    )
    with op.batch_alter_table('forum_post', schema=None) as batch_op:
        batch_op.create_index('ix_forum_post_author_created', ['author_id', 'created_at'], unique=False)

    op.create_table('forum_thread_read',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_read_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['forum_thread.id'], name=op.f('fk_forum_thread_read_thread_id_forum_thread'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_forum_thread_read_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', 'user_id', name=op.f('pk_forum_thread_read'))
    )
    op.create_table('forum_thread_subscription',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['forum_thread.id'], name=op.f('fk_forum_thread_subscription_thread_id_forum_thread'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_forum_thread_subscription_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', 'user_id', name=op.f('pk_forum_thread_subscription'))
    )
    with op.batch_alter_table('forum_thread_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_thread_subscription_user_id'), ['user_id'], unique=False)

    op.create_table('forum_helpful',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_helpful_post_id_forum_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_forum_helpful_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'user_id', name=op.f('pk_forum_helpful'))
    )
    op.create_table('forum_post_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_forum_post_revision_post_id_forum_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_post_revision'))
    )
    with op.batch_alter_table('forum_post_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_post_revision_post_id'), ['post_id'], unique=False)

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

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('read_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('emailed_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['forum_post.id'], name=op.f('fk_notification_post_id_forum_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['forum_thread.id'], name=op.f('fk_notification_thread_id_forum_thread'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_digest', ['emailed_at', 'user_id'], unique=False)
        batch_op.create_index('ix_notification_user_read', ['user_id', 'read_at', 'id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_at', portal.core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('suspension_reason', sa.String(length=500), nullable=False,
                                      server_default=''))
    _create_search()


def _create_search() -> None:
    """The full-text index lives outside the models, one shape per database."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TABLE forum_search (post_id integer PRIMARY KEY "
                   "REFERENCES forum_post (id) ON DELETE CASCADE, document tsvector NOT NULL)")
        op.execute("CREATE INDEX ix_forum_search_document ON forum_search USING gin (document)")
    else:
        op.execute("CREATE VIRTUAL TABLE forum_search_fts USING fts5(document, tokenize = 'porter unicode61')")


def _drop_search() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE forum_search")
    else:
        op.execute("DROP TABLE forum_search_fts")


def downgrade() -> None:
    _drop_search()
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('suspension_reason')
        batch_op.drop_column('suspended_at')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_read')
        batch_op.drop_index('ix_notification_digest')

    op.drop_table('notification')
    with op.batch_alter_table('forum_report', schema=None) as batch_op:
        batch_op.drop_index('ix_forum_report_status_created')

    op.drop_table('forum_report')
    with op.batch_alter_table('forum_post_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_post_revision_post_id'))

    op.drop_table('forum_post_revision')
    op.drop_table('forum_helpful')
    with op.batch_alter_table('forum_thread_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_thread_subscription_user_id'))

    op.drop_table('forum_thread_subscription')
    op.drop_table('forum_thread_read')
    with op.batch_alter_table('forum_post', schema=None) as batch_op:
        batch_op.drop_index('ix_forum_post_author_created')

    op.drop_table('forum_post')
    with op.batch_alter_table('forum_thread', schema=None) as batch_op:
        batch_op.drop_index('ix_forum_thread_listing')
        batch_op.drop_index(batch_op.f('ix_forum_thread_author_id'))

    op.drop_table('forum_thread')
    with op.batch_alter_table('forum_category_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_category_subscription_user_id'))

    op.drop_table('forum_category_subscription')
    op.drop_table('forum_category')
