"""ship windows and quarantine certificates: the buyer's timing outside the season, one certificate per vehicle

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00

Orders get `ship_timing` ('' = placed in season or for pickup, 'reserve', 'now') and `season_opens_on` (the next
window's opening when placed outside it), and `quarantine_cert_id`. `quarantine_certificate` holds each certificate
once (number, issue date, vehicle). Certificate numbers already on dispatched orders become certificates with an
unknown issue date (NULL), linked to their orders.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quarantine_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('vehicle', sa.String(length=20), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantine_certificate')),
    sa.UniqueConstraint('number', name=op.f('uq_quarantine_certificate_number'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ship_timing', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('season_opens_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('quarantine_cert_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_orders_quarantine_cert_id'), ['quarantine_cert_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_orders_quarantine_cert_id_quarantine_certificate'),
                                    'quarantine_certificate', ['quarantine_cert_id'], ['id'])

    op.execute("INSERT INTO quarantine_certificate (number, issued_on, vehicle, recorded_by, created_at) "
               "SELECT quarantine_cert, NULL, '', 'migration 0005', MIN(dispatched_at) FROM orders "
               "WHERE quarantine_cert <> '' AND dispatched_at IS NOT NULL GROUP BY quarantine_cert")
    op.execute("UPDATE orders SET quarantine_cert_id = (SELECT quarantine_certificate.id FROM quarantine_certificate "
               "WHERE quarantine_certificate.number = orders.quarantine_cert) WHERE quarantine_cert <> ''")

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.alter_column('ship_timing', server_default=None)


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_quarantine_cert_id_quarantine_certificate'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_orders_quarantine_cert_id'))
        batch_op.drop_column('quarantine_cert_id')
        batch_op.drop_column('season_opens_on')
        batch_op.drop_column('ship_timing')
    op.drop_table('quarantine_certificate')
