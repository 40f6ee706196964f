"""account events, forced password changes, case-folded usernames

Revision ID: 13c_accounts
Revises: 13b_results
Create Date: 2026-12-01 18:00:00

Usernames are folded (NFKC, case folding, NFKC) in place, the form every lookup now compares
with. When two existing usernames fold to one (``ZhangWei`` and ``zhangwei``), or one folds to
more than 64 characters, the upgrade stops before changing anything and names them: rename one
account, then upgrade again.
"""
import unicodedata
from collections import defaultdict

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13c_accounts'
down_revision = '13b_results'
branch_labels = None
depends_on = None

KINDS = ('created', 'password_reset', 'password_changed', 'disabled', 'enabled',
         'delegation_changed')


def fold(username):
    # A copy of competition.domain.accounts.fold_username as it was when this ran: a migration
    # must not change when the application's code does.
    text = unicodedata.normalize('NFKC', (username or '').strip())
    return unicodedata.normalize('NFKC', text.casefold()).strip()


def fold_usernames():
    connection = op.get_bind()
    users = sa.table('user', sa.column('id', sa.Integer), sa.column('username', sa.String))
    rows = connection.execute(sa.select(users.c.id, users.c.username)).all()
    by_folded = defaultdict(list)
    for row in rows:
        by_folded[fold(row.username)].append(row.username)
    clashes = sorted(names for names in by_folded.values() if len(names) > 1)
    too_long = sorted(folded for folded in by_folded if len(folded) > 64)
    if clashes or too_long:
        lines = [' and '.join(repr(n) for n in sorted(names)) + ' would become one username'
                 for names in clashes]
        lines += [f'{name!r} is longer than 64 characters once folded' for name in too_long]
        raise RuntimeError('Usernames are now compared case-folded; rename these accounts '
                           'first, then upgrade again:\n  ' + '\n  '.join(lines))
    for row in rows:
        folded = fold(row.username)
        if folded != row.username:
            connection.execute(users.update().where(users.c.id == row.id)
                               .values(username=folded))


def upgrade():
    fold_usernames()
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table('account_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum(*KINDS, name='accounteventkind', native_enum=False,
                              create_constraint=True, length=30), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_username', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_account_event_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_account_event_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_event_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_event'))
    )
    with op.batch_alter_table('account_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_event_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_event_user_id'), ['user_id'], unique=False)


def downgrade():
    # Folded usernames stay folded: they log in as before (lookups were case-insensitive).
    with op.batch_alter_table('account_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_event_user_id'))
        batch_op.drop_index(batch_op.f('ix_account_event_event_id'))
        batch_op.drop_index(batch_op.f('ix_account_event_at'))
    op.drop_table('account_event')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
