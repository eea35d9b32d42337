"""who may appear in attendee lists; access needs a person usually has

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 15:20:00

``user_account.show_in_attendee_lists``: other members see the person among those going
to an event (on for everyone, as the profile says by default).
``user_account.usual_needs_*``: the access needs a person usually has, offered pre-filled
when they reply to an event (none at first).
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('show_in_attendee_lists', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('usual_needs_captions', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('usual_needs_interpreter', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('usual_needs_other', sa.String(length=500), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('user_account', recreate='never') as batch_op:
        batch_op.drop_column('usual_needs_other')
        batch_op.drop_column('usual_needs_interpreter')
        batch_op.drop_column('usual_needs_captions')
        batch_op.drop_column('show_in_attendee_lists')
