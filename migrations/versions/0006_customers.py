"""customers: the archive (客户档案), the contact log (回访记录), call scripts; every order belongs to a customer

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00

A `customer` per retail phone (orders without a dealer) and per dealer, keyed `retail:<phone>` / `dealer:<id>`
(unique: the guard that keeps two racing first orders from making two customers). Existing rows: one customer
for every dealer, one for every phone among the orders without a dealer (named after that phone's latest
order), and every order linked to its customer; then `orders.customer_id` becomes NOT NULL.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('customer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=11), nullable=False),
    sa.Column('region', sa.String(length=60), nullable=False, server_default=''),
    sa.Column('notes', sa.Text(), nullable=False, server_default=''),
    sa.Column('major_change', sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column('major_change_note', sa.String(length=200), nullable=False, server_default=''),
    sa.Column('next_contact_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealer.id'], name=op.f('fk_customer_dealer_id_dealer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer')),
    sa.UniqueConstraint('dealer_id', name=op.f('uq_customer_dealer_id')),
    sa.UniqueConstraint('key', name=op.f('uq_customer_key'))
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_next_contact_on'), ['next_contact_on'], unique=False)

    op.create_table('customer_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('outcome', sa.String(length=500), nullable=False),
    sa.Column('next_contact_on', sa.Date(), nullable=True),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_contact_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_contact'))
    )
    with op.batch_alter_table('customer_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_contact_customer_id'), ['customer_id'], unique=False)

    op.create_table('call_script',
    sa.Column('segment', sa.String(length=10), nullable=False),
    sa.Column('body_zh', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=60), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('segment', name=op.f('pk_call_script'))
    )

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_id', sa.Integer(), nullable=True))

    # The customers of the orders that exist: every dealer, and every phone that ordered without a dealer.
    op.execute("INSERT INTO customer (key, kind, dealer_id, name, phone, region, created_at) "
               "SELECT 'dealer:' || dealer.id, 'dealer', dealer.id, dealer.company, dealer.phone, dealer.region, "
               "dealer.created_at FROM dealer")
    op.execute("INSERT INTO customer (key, kind, name, phone, region, created_at) "
               "SELECT 'retail:' || o.phone, 'retail', "
               "(SELECT l.customer_name FROM orders l WHERE l.phone = o.phone AND l.dealer_id IS NULL "
               " ORDER BY l.created_at DESC, l.id DESC LIMIT 1), o.phone, "
               "(SELECT SUBSTR(l.province || l.city, 1, 60) FROM orders l WHERE l.phone = o.phone "
               " AND l.dealer_id IS NULL ORDER BY l.created_at DESC, l.id DESC LIMIT 1), MIN(o.created_at) "
               "FROM orders o WHERE o.dealer_id IS NULL GROUP BY o.phone")
    op.execute("UPDATE orders SET customer_id = (SELECT customer.id FROM customer "
               "WHERE customer.dealer_id = orders.dealer_id) WHERE dealer_id IS NOT NULL")
    op.execute("UPDATE orders SET customer_id = (SELECT customer.id FROM customer "
               "WHERE customer.key = 'retail:' || orders.phone) WHERE dealer_id IS NULL")

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.alter_column('region', server_default=None)
        batch_op.alter_column('notes', server_default=None)
        batch_op.alter_column('major_change', server_default=None)
        batch_op.alter_column('major_change_note', server_default=None)
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.alter_column('customer_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_orders_customer_id'), ['customer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_orders_customer_id_customer'), 'customer', ['customer_id'], ['id'])


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_customer_id_customer'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_orders_customer_id'))
        batch_op.drop_column('customer_id')
    op.drop_table('call_script')
    with op.batch_alter_table('customer_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_contact_customer_id'))
    op.drop_table('customer_contact')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_next_contact_on'))
        batch_op.drop_index(batch_op.f('ix_customer_kind'))
    op.drop_table('customer')
