"""mentors: approved by community managers, not self-declared

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:00:00

Three tables: ``mentor`` (who is an approved mentor, since when, approved by whom),
``mentor_request`` (members asking, at most one pending each, held by a partial unique
index) and ``mentor_decision`` (every approval, refusal and removal, with who and why).
``user_account`` is left as it is: adding foreign-key columns to it would make SQLite
rebuild the table, and dropping and re-creating ``user_account`` with foreign keys on
cascades deletes into every table that refers to it.

People whose profile said "mentor" or "mentor and mentee" are not approved here, though
the mentors' category was open to them. That access came from a box anyone could tick,
unconfirmed accounts included; approving them in bulk would record approvals nobody made
and keep exactly the access this change exists to close. Instead each of them who could
could ask (email confirmed, account not deleted) gets a pending request, so the people
page lists them and a community manager approves or declines each with one decision.
Their profile answer is kept as it was.

Downgrading drops the three tables: mentor access goes back to the profile answer, which
was never changed.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import portal.core.db

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

CARRIED_OVER = ("Asked before mentors needed a community manager's approval: "
                "their profile said they were here to mentor.")


def upgrade() -> None:
    op.create_table('mentor',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('since', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_mentor_approved_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_mentor_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_mentor'))
    )
    with op.batch_alter_table('mentor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_approved_by_id'), ['approved_by_id'], unique=False)

    op.create_table('mentor_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('closed_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'declined', 'withdrawn')", name=op.f('ck_mentor_request_status')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_mentor_request_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_request'))
    )
    with op.batch_alter_table('mentor_request', schema=None) as batch_op:
        batch_op.create_index('ix_mentor_request_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_request_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_mentor_request_pending', ['user_id'], unique=True,
                              sqlite_where=sa.text("status = 'pending'"),
                              postgresql_where=sa.text("status = 'pending'"))

    op.create_table('mentor_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("outcome IN ('approved', 'declined', 'removed')", name=op.f('ck_mentor_decision_outcome')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_mentor_decision_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['mentor_request.id'], name=op.f('fk_mentor_decision_request_id_mentor_request'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_mentor_decision_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_decision'))
    )
    with op.batch_alter_table('mentor_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_decision_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_decision_request_id'), ['request_id'], unique=False)
        batch_op.create_index('ix_mentor_decision_user_created', ['user_id', 'created_at'], unique=False)

    _file_requests_for_self_declared_mentors()


def _file_requests_for_self_declared_mentors() -> None:
    """A pending request for each confirmed, current account whose profile said mentor."""
    user = sa.table('user_account', sa.column('id'), sa.column('participation'),
                    sa.column('email_verified_at'), sa.column('deleted_at'))
    request = sa.table('mentor_request', sa.column('user_id'), sa.column('note'),
                       sa.column('status'), sa.column('created_at'))
    now = sa.literal(datetime.now(UTC), portal.core.db.UTCDateTime())
    offering = sa.select(user.c.id, sa.literal(CARRIED_OVER), sa.literal('pending'), now).where(
        user.c.participation.in_(('mentor', 'both')),
        user.c.email_verified_at.is_not(None),
        user.c.deleted_at.is_(None),
    )
    op.execute(request.insert().from_select(['user_id', 'note', 'status', 'created_at'], offering))


def downgrade() -> None:
    with op.batch_alter_table('mentor_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_mentor_decision_user_created')
        batch_op.drop_index(batch_op.f('ix_mentor_decision_request_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_decision_decided_by_id'))

    op.drop_table('mentor_decision')
    with op.batch_alter_table('mentor_request', schema=None) as batch_op:
        batch_op.drop_index('uq_mentor_request_pending',
                            sqlite_where=sa.text("status = 'pending'"),
                            postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_mentor_request_user_id'))
        batch_op.drop_index('ix_mentor_request_status_created')

    op.drop_table('mentor_request')
    with op.batch_alter_table('mentor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_approved_by_id'))

    op.drop_table('mentor')
