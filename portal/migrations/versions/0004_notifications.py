"""notifications, a feature of their own

Notifications point at a target by URL path and text instead of forum rows, carry
their actor, excerpt and email state, and each person chooses a delivery per kind.
The one global choice on the account becomes per-kind choices for the forum kinds:
a daily digest becomes "digest", no email becomes "portal".

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

FORUM_KINDS = ('reply', 'mention', 'new_thread', 'post_hidden')
# The old global choice, and the per-kind delivery it becomes for each forum kind.
CHOICE_TO_DELIVERY = {'daily': 'digest', 'off': 'portal'}


def upgrade() -> None:
    op.create_table('notification_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('delivery', sa.String(length=10), nullable=False),
    sa.CheckConstraint("delivery IN ('email', 'digest', 'portal', 'off')", name=op.f('ck_notification_preference_delivery')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_preference_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preference'))
    )
    for choice, delivery in CHOICE_TO_DELIVERY.items():
        for kind in FORUM_KINDS:
            op.execute(sa.text(
                "INSERT INTO notification_preference (user_id, kind, delivery) "
                "SELECT id, :kind, :delivery FROM user_account WHERE notification_delivery = :choice"
            ).bindparams(kind=f'forums.{kind}', delivery=delivery, choice=choice))

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('url', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('target_text', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('excerpt', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('email_state', sa.String(length=10), nullable=True))
        batch_op.alter_column('kind', existing_type=sa.String(length=20), type_=sa.String(length=60),
                              existing_nullable=False)

    # The target: a post's permalink, else the thread; its text is the thread's title.
    # The actor: the post's author, except for a hidden post (the moderator was not kept).
    # The email state: dealt with when emailed_at is set (never emailed for people who
    # chose no email); waiting when not, or dropped for people who since chose no email.
    op.execute(
        "UPDATE notification SET "
        "url = CASE WHEN post_id IS NOT NULL THEN '/forums/p/' || CAST(post_id AS VARCHAR(20)) "
        "ELSE '/forums/t/' || CAST(thread_id AS VARCHAR(20)) END, "
        "target_text = COALESCE((SELECT SUBSTR(title, 1, 200) FROM forum_thread "
        "WHERE forum_thread.id = notification.thread_id), ''), "
        "actor_id = CASE WHEN kind = 'post_hidden' THEN NULL ELSE "
        "(SELECT author_id FROM forum_post WHERE forum_post.id = notification.post_id) END, "
        "excerpt = '', "
        "email_state = CASE "
        "WHEN (SELECT notification_delivery FROM user_account WHERE user_account.id = notification.user_id) "
        "= 'off' THEN (CASE WHEN emailed_at IS NULL THEN 'dropped' ELSE 'none' END) "
        "WHEN emailed_at IS NULL THEN 'waiting' ELSE 'sent' END, "
        "kind = 'forums.' || kind"
    )

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.alter_column('url', existing_type=sa.String(length=300), nullable=False)
        batch_op.alter_column('target_text', existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('excerpt', existing_type=sa.String(length=300), nullable=False)
        batch_op.alter_column('email_state', existing_type=sa.String(length=10), nullable=False)
        batch_op.drop_index('ix_notification_digest')
        batch_op.drop_constraint(batch_op.f('fk_notification_post_id_forum_post'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_notification_thread_id_forum_thread'), type_='foreignkey')
        batch_op.drop_column('post_id')
        batch_op.drop_column('thread_id')
        batch_op.drop_column('emailed_at')
        batch_op.create_foreign_key(batch_op.f('fk_notification_actor_id_user_account'), 'user_account',
                                    ['actor_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_notification_email_state'),
                                         "email_state IN ('none', 'waiting', 'sent', 'dropped')")
        batch_op.create_index('ix_notification_email', ['email_state', 'user_id', 'id'], unique=False)
        batch_op.create_index('ix_notification_user_list', ['user_id', 'id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_account_delivery'), type_='check')
        batch_op.drop_column('notification_delivery')


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notification_delivery', sa.String(length=12), nullable=True))
    # One global choice again: no email if any forum kind had none, else a digest if any
    # forum kind had one; everyone else at once.
    op.execute("UPDATE user_account SET notification_delivery = 'immediately'")
    forum_kinds = ", ".join(f"'forums.{kind}'" for kind in FORUM_KINDS)
    for choice, deliveries in (('daily', "'digest'"), ('off', "'portal', 'off'")):
        op.execute(
            f"UPDATE user_account SET notification_delivery = '{choice}' WHERE id IN "
            f"(SELECT user_id FROM notification_preference WHERE kind IN ({forum_kinds}) "
            f"AND delivery IN ({deliveries}))"
        )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('notification_delivery', existing_type=sa.String(length=12), nullable=False)
        batch_op.create_check_constraint(batch_op.f('ck_user_account_delivery'),
                                         "notification_delivery IN ('immediately', 'daily', 'off')")

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('post_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('thread_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('emailed_at', portal.core.db.UTCDateTime(), nullable=True))

    # Only forum notifications can live in the old table: the others leave with the
    # features that made them; the forum ones find their post or thread again.
    op.execute("DELETE FROM notification WHERE kind NOT IN (" + forum_kinds + ") "
               "OR (url NOT LIKE '/forums/p/%' AND url NOT LIKE '/forums/t/%')")
    op.execute(
        "UPDATE notification SET "
        "post_id = CASE WHEN url LIKE '/forums/p/%' THEN CAST(SUBSTR(url, 11) AS INTEGER) END, "
        "thread_id = CASE WHEN url LIKE '/forums/t/%' THEN CAST(SUBSTR(url, 11) AS INTEGER) "
        "ELSE (SELECT thread_id FROM forum_post WHERE forum_post.id = CAST(SUBSTR(notification.url, 11) "
        "AS INTEGER)) END, "
        "emailed_at = CASE WHEN email_state = 'waiting' THEN NULL ELSE created_at END, "
        "kind = SUBSTR(kind, 8)"
    )
    op.execute("DELETE FROM notification WHERE thread_id IS NULL "
               "OR thread_id NOT IN (SELECT id FROM forum_thread) "
               "OR (post_id IS NOT NULL AND post_id NOT IN (SELECT id FROM forum_post))")

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_list')
        batch_op.drop_index('ix_notification_email')
        batch_op.drop_constraint(batch_op.f('ck_notification_email_state'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_notification_actor_id_user_account'), type_='foreignkey')
        batch_op.drop_column('email_state')
        batch_op.drop_column('excerpt')
        batch_op.drop_column('target_text')
        batch_op.drop_column('url')
        batch_op.drop_column('actor_id')
        batch_op.alter_column('kind', existing_type=sa.String(length=60), type_=sa.String(length=20),
                              existing_nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_notification_post_id_forum_post'), 'forum_post',
                                    ['post_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_notification_thread_id_forum_thread'), 'forum_thread',
                                    ['thread_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index('ix_notification_digest', ['emailed_at', 'user_id'], unique=False)

    op.drop_table('notification_preference')
