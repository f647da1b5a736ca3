"""A response's question id without a length limit (issue 16): the daily challenge's questions are
"<quiz>/<question>", and neither id has a length limit in a quiz file, so 100 characters could be
passed (PostgreSQL then refused the row, and a phone would send the attempt again and again; SQLite
does not check lengths).  PostgreSQL changes the column's type in place; SQLite copies the table.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.alter_column("question", type_=sa.String(), existing_type=sa.String(100), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.alter_column("question", type_=sa.String(100), existing_type=sa.String(), existing_nullable=False)
