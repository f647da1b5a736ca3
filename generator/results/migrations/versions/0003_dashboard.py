"""What the dashboard counts by (issue 15): each attempt's day in China, its size and how many it got
right, and one response row per question for the quiz report.

The day, size and right answers of attempts stored before are worked out here from what they hold
(the score is ``Math.round(100 * right / size)``, which names one ``right`` for any size up to 100);
their responses need the quizzes, so ``results serve`` fills them at start
(``store.fill_responses``).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from generator.results.store import local_day
from generator.scoring import percent

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_old = sa.table(
    "attempts",
    sa.column("attempt", sa.Uuid()),
    sa.column("answers", sa.JSON()),
    sa.column("received", sa.DateTime(timezone=True)),
    sa.column("score", sa.SmallInteger()),
    sa.column("day", sa.Date()),
    sa.column("size", sa.SmallInteger()),
    sa.column("right", sa.SmallInteger()),
)


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("day", sa.Date(), nullable=True))
        batch.add_column(sa.Column("size", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("right", sa.SmallInteger(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(_old.c.attempt, _old.c.answers, _old.c.received, _old.c.score)).all()
    for attempt, answers, received, score in rows:
        size = len(answers)
        right = next((r for r in range(size + 1) if percent(r, size) == score), 0)
        connection.execute(
            _old.update()
            .where(_old.c.attempt == attempt)
            .values(day=local_day(_aware(received)), size=size, right=right)
        )
    with op.batch_alter_table("attempts") as batch:
        batch.alter_column("day", existing_type=sa.Date(), nullable=False)
        batch.alter_column("size", existing_type=sa.SmallInteger(), nullable=False)
        batch.alter_column("right", existing_type=sa.SmallInteger(), nullable=False)
        batch.drop_index("ix_attempts_unit")
        batch.create_index("ix_attempts_day", ["day"])
        batch.create_index("ix_attempts_quiz_day", ["quiz", "day"])
        batch.create_index("ix_attempts_unit_day", ["unit", "day"])
    op.create_table(
        "responses",
        sa.Column("attempt", sa.Uuid(), nullable=False),
        sa.Column("question", sa.String(100), nullable=False),
        sa.Column("quiz", sa.String(100), nullable=False),
        sa.Column("unit", sa.String(100), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("correct", sa.SmallInteger(), nullable=False),
        sa.Column("rest", sa.SmallInteger(), nullable=False),
        sa.Column("chosen", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt"], ["attempts.attempt"], name=op.f("fk_responses_attempt"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("attempt", "question", name=op.f("pk_responses")),
    )
    op.create_index("ix_responses_quiz_day", "responses", ["quiz", "day"])
    op.create_index("ix_responses_unit_day", "responses", ["unit", "day"])


def _aware(moment: datetime) -> datetime:
    """SQLite keeps UTC without a zone (store.UTCDateTime); PostgreSQL gives it."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def downgrade() -> None:
    op.drop_table("responses")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_index("ix_attempts_unit_day")
        batch.drop_index("ix_attempts_quiz_day")
        batch.drop_index("ix_attempts_day")
        batch.create_index("ix_attempts_unit", ["unit"])
        batch.drop_column("right")
        batch.drop_column("size")
        batch.drop_column("day")
