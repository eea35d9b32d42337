"""sign-ins known to the server; pictures from other sites by choice

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 11:10:00

One row per browser sign-in (a digest of the key its cookie carries, when it expires, when
it ended), so signing out ends a copied cookie too and remember-me expires on the server.
Cookies issued before this revision carry no key: their holders sign in once more.

``user_account.show_remote_images``: pictures in posts come from other websites, which
learn who reads; they show only for people who turn this on (off for everyone at first).
"""

import sqlalchemy as sa
from alembic import op

import portal.core.db

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sign_in',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key_digest', sa.String(length=64), nullable=False),
        sa.Column('created_at', portal.core.db.UTCDateTime(), nullable=False),
        sa.Column('expires_at', portal.core.db.UTCDateTime(), nullable=False),
        sa.Column('ended_at', portal.core.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_sign_in_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in')),
        sa.UniqueConstraint('key_digest', name=op.f('uq_sign_in_key_digest')),
    )
    op.create_index(op.f('ix_sign_in_user_id'), 'sign_in', ['user_id'], unique=False)
    with op.batch_alter_table('user_account', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('show_remote_images', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('user_account', recreate='never') as batch_op:
        batch_op.drop_column('show_remote_images')
    op.drop_index(op.f('ix_sign_in_user_id'), table_name='sign_in')
    op.drop_table('sign_in')
