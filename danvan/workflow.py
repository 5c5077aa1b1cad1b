"""State machines and concurrent edits, written once for every app.

A ``Workflow`` is the table of allowed moves of one model's status. Each ``Move`` says
who may make it, as a ``rules`` predicate over (user, object), and how the portal offers
it: a button label (none for moves made by a service of their own, such as issuing a
plan) and whether a reason is required. ``Workflow.move`` is the one function that
changes a status; apps keep only their table and their side effects:

1. the move is in the table, else ``ValidationError`` (code ``"transition"``);
2. the actor passes the move's predicate, else ``PermissionDenied``;
3. a reason is given where the move needs one (``ValidationError`` on ``reason``);
4. ``UPDATE … WHERE pk = … AND status = <the status the caller saw>``: of two moves
   made at the same moment exactly one wins, the other gets ``ValidationError`` (code
   ``"conflict"``) and changes nothing;
5. one audit event ``"<name>.<target>"``;
6. callbacks after the commit (mail, notifications), never on a rollback.

It runs inside the caller's transaction.

Edits of content (not of status) are guarded by a version number: ``StaleEdit`` is
raised when the row changed since the form was opened.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from danvan.audit.services import audit_record


class StaleEdit(ValidationError):
    """The record changed since the form was opened; nothing was saved."""

    def __init__(self, message: str | Promise | None = None):
        super().__init__(
            message
            or _(
                "Nội dung này vừa được người khác sửa. Hãy tải lại trang để xem bản mới nhất; "
                "nội dung bạn vừa nhập vẫn còn trong ô nhập."
            ),
            code="stale",
        )


def check_version(instance: models.Model, expected_version: int | None) -> None:
    """Refuse an edit made on an older version than the (locked) row's."""
    if expected_version is not None and expected_version != instance.version:
        raise StaleEdit


def save_versioned(instance: models.Model, fields: Iterable[str], expected_version: int | None):
    """Write ``fields`` of ``instance`` only if nobody saved the row since
    ``expected_version`` was read (``None``: whatever the version), and count the version
    up; ``StaleEdit`` otherwise."""
    values = {name: getattr(instance, name) for name in fields}
    queryset = type(instance)._default_manager.filter(pk=instance.pk)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    if not queryset.update(version=F("version") + 1, **values):
        raise StaleEdit
    instance.version = (expected_version or instance.version) + 1


@dataclass(frozen=True)
class Move:
    """One allowed move: from ``source`` to ``target``, by whoever passes ``allowed``.

    ``label`` is the button that offers it on the object's page (``None``: not a button;
    a service of its own makes the move). ``needs_reason``: the move records why.
    """

    source: str
    target: str
    allowed: rules.Predicate
    label: str | Promise | None = None
    needs_reason: bool = False


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "Workflow.move() must run inside the caller's transaction.atomic() block."
        )


class Workflow:
    """The moves of ``model``'s ``field``; ``name`` prefixes the audit actions.

    ``noun`` names the object in the refusal of a move that is not in the table
    ("Không thể chuyển mô hình từ … sang …"); ``conflict`` is the message (or a function
    of the object giving it) for a move that lost to a simultaneous one.
    """

    def __init__(
        self,
        *,
        model: type[models.Model],
        name: str,
        moves: Iterable[Move],
        noun: str | Promise,
        conflict: str | Promise | Callable[[models.Model], str],
        field: str = "status",
    ):
        self.model = model
        self.name = name
        self.field = field
        self.noun = noun
        self.conflict = conflict
        self.moves: dict[tuple[str, str], Move] = {}
        for move in moves:
            key = (str(move.source), str(move.target))
            if key in self.moves:
                raise ValueError(f"{name}: the move {key} is listed twice")
            self.moves[key] = move
        model_fields = {f.name for f in model._meta.get_fields()}
        self._versioned = "version" in model_fields
        self._timestamped = "updated_at" in model_fields

    def __contains__(self, pair: tuple[str, str]) -> bool:
        return (str(pair[0]), str(pair[1])) in self.moves

    def get(self, source: str, target: str) -> Move | None:
        return self.moves.get((str(source), str(target)))

    def may(self, user, obj, target: str) -> bool:
        """Whether ``user`` may move ``obj`` (in its current status) to ``target``."""
        move = self.get(getattr(obj, self.field), target)
        return move is not None and move.allowed.test(user, obj)

    def buttons(self, user, obj) -> list[Move]:
        """The moves the object's page offers ``user``: from its status, with a label,
        allowed to them; in the order of the table."""
        status = str(getattr(obj, self.field))
        return [
            move
            for (source, _target), move in self.moves.items()
            if source == status and move.label is not None and move.allowed.test(user, obj)
        ]

    def _label(self, value: str) -> str:
        choices = dict(self.model._meta.get_field(self.field).flatchoices)
        return str(choices.get(value, value))

    def check(self, *, actor, obj, to: str, reason: str = "", source: str | None = None) -> Move:
        """Steps 1–3 of a move, without changing anything: the move, the actor, the reason.
        ``source`` is the status the caller saw (default: the object's)."""
        source = getattr(obj, self.field) if source is None else source
        move = self.get(source, to)
        if move is None:
            raise ValidationError(
                _("Không thể chuyển %(noun)s từ “%(from)s” sang “%(to)s”.")
                % {"noun": self.noun, "from": self._label(source), "to": self._label(to)},
                code="transition",
            )
        if not move.allowed.test(actor, obj):
            raise PermissionDenied
        if move.needs_reason and not reason.strip():
            raise ValidationError({"reason": _("Hãy ghi lý do.")}, code="reason")
        return move

    def move(
        self,
        *,
        actor,
        obj: models.Model,
        to: str,
        reason: str = "",
        updates: dict | None = None,
        note: str | None = None,
        at: datetime | None = None,
        after_commit: Iterable[Callable[[], None]] = (),
        audit: bool = True,
        source: str | None = None,
    ) -> models.Model:
        """Move ``obj`` to status ``to`` (steps 1–6 above) and return it updated.

        ``updates`` are written in the same conditional UPDATE (a timestamp, the issued
        document); ``note`` goes into the audit event (default: the reason); ``at`` dates
        a move recorded after the fact. ``audit=False`` leaves the event to the caller,
        for a move that is part of a larger audited act. ``source`` is the status the
        caller saw, if it read it before (default: the object's).
        """
        _require_transaction()
        source = getattr(obj, self.field) if source is None else source
        self.check(actor=actor, obj=obj, to=to, reason=reason, source=source)
        values = {self.field: to, **(updates or {})}
        if self._versioned:
            values["version"] = F("version") + 1
        if self._timestamped and "updated_at" not in values:
            values["updated_at"] = at or timezone.now()
        moved = self.model._default_manager.filter(pk=obj.pk, **{self.field: source}).update(
            **values
        )
        if not moved:
            message = self.conflict(obj) if callable(self.conflict) else self.conflict
            raise ValidationError(message, code="conflict")
        if audit:
            audit_record(
                actor=actor,
                action=f"{self.name}.{to}",
                obj=obj,
                changes={self.field: [source, to]},
                note=reason.strip() if note is None else note,
                at=at,
            )
        for name, value in values.items():
            if not hasattr(value, "resolve_expression"):  # F("version") + 1 is the database's
                setattr(obj, name, value)
        if self._versioned:
            obj.version += 1
        for callback in after_commit:
            transaction.on_commit(callback)
        return obj
