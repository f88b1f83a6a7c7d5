"""Declarative base, constraint naming convention and column types shared by every model."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, MetaData, Numeric, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone, so we add it back).

    Raises ValueError when given a naive datetime: a time without a zone is ambiguous.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: Money in yuan, two decimals.
Money = Numeric(14, 2, asdecimal=True)
#: Floor area in m², two decimals.
Area = Numeric(10, 2, asdecimal=True)


class Base(DeclarativeBase):
    """Base of every model: the naming convention lets Alembic alter constraints (SQLite batch too)."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), Decimal: Money},
    )


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def str_enum(enum_cls, length: int = 32, name: str | None = None):
    """A VARCHAR column type for a Python Enum storing its ``.value``, with a named CHECK constraint.

    Portable across SQLite and PostgreSQL (no native ENUM type to migrate). ``name`` names the CHECK
    constraint (default: the enum's name); give one when a table has two columns of the same enum.
    """
    from sqlalchemy import Enum

    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        name=name or enum_cls.__name__.lower(),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def lock_row(session, model, row_id: int) -> None:
    """Serialise writers on one row until commit (e.g. one household's answer to one survey).

    PostgreSQL: SELECT ... FOR UPDATE. SQLite ignores FOR UPDATE; Python's sqlite3 starts the transaction at
    the first write, so a no-op UPDATE takes the database write lock first (waiting up to the busy timeout)
    and every later read in the transaction sees the latest committed rows.
    """
    from sqlalchemy import select, update

    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(model).where(model.id == row_id).values(id=model.id)
                        .execution_options(synchronize_session=False))
    session.execute(select(model.id).where(model.id == row_id).with_for_update())
