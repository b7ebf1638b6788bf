"""Every field of every command and every request schema is classified (pool/fields.py): none slips through."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing

from pydantic import BaseModel

import api.schemas
from api.schemas.common import RequestModel
from pool.application import PoolApplication
from pool.fields import FIELDS, FieldClass, classify


def _commands() -> dict[str, list[str]]:
    found = {}
    for name, function in inspect.getmembers(PoolApplication, inspect.isfunction):
        params = list(inspect.signature(function).parameters)
        if not name.startswith("_") and params[:2] == ["self", "actor"]:
            found[name] = params[2:]
    return found


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _schema_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths = []
    for name, info in model.model_fields.items():
        paths.append(prefix + name)
        for inner in _models(info.annotation):
            paths += _schema_paths(inner, f"{prefix}{name}.")
    return paths


def _schemas() -> list[type[RequestModel]]:
    for module in pkgutil.iter_modules(api.schemas.__path__):
        importlib.import_module(f"api.schemas.{module.name}")
    found, todo = [], [RequestModel]
    while todo:
        cls = todo.pop()
        found += cls.__subclasses__()
        todo += cls.__subclasses__()
    return found


def test_every_command_argument_is_classified() -> None:
    commands = _commands()
    assert {"apply_family", "register_referral", "record_training", "start_placement"} <= set(commands)
    missing = [f"{c}({p})" for c, params in commands.items() for p in params if classify(c, p) is None]
    assert not missing, f"unclassified command arguments, add them to pool/fields.py: {missing}"


def test_every_request_schema_field_is_classified() -> None:
    schemas = _schemas()
    assert len(schemas) > 10
    # A schema nested in another (AdultCreate in FamilyCreate) is walked there, under its path.
    nested = {m for s in schemas for info in s.model_fields.values() for m in _models(info.annotation)}
    schemas = [s for s in schemas if s not in nested]
    assert {"FamilyCreate", "ReferralCreate", "TrainingCreate"} <= {s.__name__ for s in schemas}
    missing = [f"{s.__name__}.{p}" for s in schemas for p in _schema_paths(s) if classify(s.__name__, p) is None]
    assert not missing, f"unclassified request fields, add them to pool/fields.py: {missing}"


def test_groups_are_classified_part_by_part() -> None:
    for path, cls in FIELDS.items():
        if cls is FieldClass.PARTS:
            assert any(other.startswith(path + ".") for other in FIELDS), path


def test_the_free_texts_about_people_are_sealed_and_the_anonymous_description_published() -> None:
    sealed = {p for p, c in FIELDS.items() if c is FieldClass.SEALED}
    assert {"adults.name", "adults.personal_number", "note", "reason", "needs", "wishes", "message"} <= sealed
    assert classify("apply_family", "preferences.languages") is FieldClass.CODED
    assert classify("record_training", "course") is FieldClass.CODED
    assert classify("end_placement", "reason") is FieldClass.CODED
    assert classify("record_supervision", "note") is FieldClass.SEALED
    assert classify("schedule_course", "course") is FieldClass.CODED
    # The reason for a new version of an adopted allocation is about figures (steering minutes), not people.
    assert [p for p, c in FIELDS.items() if c is FieldClass.PUBLISHED] == [
        "place", "description", "name", "source", "adopt_allocation.reason", "AllocationAdopt.reason"]
