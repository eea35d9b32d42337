"""accounts and outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-27 14:35:08.381833
"""

from alembic import op
import sqlalchemy as sa
import portal.core.db


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('headers_json', sa.Text(), nullable=False),
    sa.Column('attachments_json', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('sent_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sent', 'dead')", name=op.f('ck_outbox_message_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('pending_email', sa.String(length=320), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('participation', sa.String(length=10), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('email_verified_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('deleted_at', portal.core.db.UTCDateTime(), nullable=True),
    sa.Column('pronouns', sa.String(length=40), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('interests', sa.String(length=300), nullable=False),
    sa.Column('reduced_motion', sa.Boolean(), nullable=False),
    sa.Column('high_contrast', sa.Boolean(), nullable=False),
    sa.Column('large_text', sa.Boolean(), nullable=False),
    sa.Column('low_data', sa.Boolean(), nullable=False),
    sa.Column('plain_text_email', sa.Boolean(), nullable=False),
    sa.Column('notification_delivery', sa.String(length=12), nullable=False),
    sa.CheckConstraint("notification_delivery IN ('immediately', 'daily', 'off')", name=op.f('ck_user_account_delivery')),
    sa.CheckConstraint("participation IN ('mentee', 'mentor', 'both')", name=op.f('ck_user_account_participation')),
    sa.CheckConstraint("role IN ('member', 'manager', 'admin')", name=op.f('ck_user_account_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index('ix_user_account_role', ['role'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index('ix_user_account_role')

    op.drop_table('user_account')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_due')

    op.drop_table('outbox_message')
