"""order life cycle: payment status apart from fulfilment, receipt, refunds

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 20:40:00

`status` keeps where the goods are (pending_payment, awaiting_dispatch, dispatched, completed, cancelled);
`payment_status` where the money is (unpaid, paid, partially_refunded, refunded, on_account). Existing rows:
paid → awaiting_dispatch + paid; dispatched and completed → + paid; refunded → cancelled + refunded.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_status', sa.String(length=20), nullable=False, server_default='unpaid'))
        batch_op.add_column(sa.Column('paid_fen', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('refunded_fen', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('received_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_intent', sa.String(length=255), nullable=False, server_default=''))

    # Move the rows: the money first (from the one payment an order can have), then where the goods are.
    op.execute("UPDATE orders SET paid_fen = COALESCE((SELECT payment.amount_fen FROM payment "
               "WHERE payment.order_id = orders.id), 0)")
    op.execute("UPDATE orders SET payment_status = 'paid' WHERE paid_fen > 0")
    op.execute("UPDATE orders SET payment_status = 'refunded', refunded_fen = paid_fen, status = 'cancelled' "
               "WHERE status = 'refunded'")
    op.execute("UPDATE orders SET status = 'awaiting_dispatch' WHERE status = 'paid'")
    op.execute("UPDATE orders SET received_at = dispatched_at WHERE status = 'completed' AND received_at IS NULL")

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.alter_column('payment_status', server_default=None)
        batch_op.alter_column('paid_fen', server_default=None)
        batch_op.alter_column('refunded_fen', server_default=None)
        batch_op.create_index(batch_op.f('ix_orders_payment_status'), ['payment_status'], unique=False)
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.alter_column('payment_intent', server_default=None)

    op.create_table('refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('reference', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_refund_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_refund_idempotency_key'))
    )
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_order_id'), ['order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_order_id'))
    op.drop_table('refund')

    op.execute("UPDATE orders SET status = 'paid' WHERE status = 'awaiting_dispatch'")
    op.execute("UPDATE orders SET status = 'refunded' WHERE payment_status = 'refunded'")
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_column('payment_intent')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_payment_status'))
        batch_op.drop_column('received_at')
        batch_op.drop_column('refunded_fen')
        batch_op.drop_column('paid_fen')
        batch_op.drop_column('payment_status')
