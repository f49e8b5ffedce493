"""dealer credit: limit and terms per dealer, payments on account, and when a credit order falls due

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:30:00

A dealer's `credit_limit_fen` (0 = no credit) and `credit_terms_days`; `credit_version` is bumped by every
credit order and payment, so that they take the dealer's row lock first (one at a time per dealer). Orders get
`due_at` (dispatch + terms, for credit orders). `account_payment` holds what a dealer paid into the account.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dealer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credit_limit_fen', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('credit_terms_days', sa.Integer(), nullable=False, server_default='30'))
        batch_op.add_column(sa.Column('credit_version', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('dealer', schema=None) as batch_op:
        batch_op.alter_column('credit_limit_fen', server_default=None)
        batch_op.alter_column('credit_terms_days', server_default=None)
        batch_op.alter_column('credit_version', server_default=None)
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('account_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealer.id'], name=op.f('fk_account_payment_dealer_id_dealer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_payment'))
    )
    with op.batch_alter_table('account_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_payment_dealer_id'), ['dealer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_payment_dealer_id'))
    op.drop_table('account_payment')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('due_at')
    with op.batch_alter_table('dealer', schema=None) as batch_op:
        batch_op.drop_column('credit_version')
        batch_op.drop_column('credit_terms_days')
        batch_op.drop_column('credit_limit_fen')
