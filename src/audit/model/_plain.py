"""Values as JSON can hold them, and back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import types
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, Union, cast, get_args, get_origin, get_type_hints

__all__ = ["from_plain", "plain", "plain_dict", "plain_fields"]


def plain_dict(value: dict[str, Any]) -> dict[str, Any]:
    """A dict as JSON can hold it (see :func:`plain`)."""
    return {k: plain(v) for k, v in value.items()}


def plain_fields(value: Any, *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """A dataclass's fields as JSON can hold them (but ``leave_out``).

    What ``plain_dict(dataclasses.asdict(value))`` gives, without ``asdict``'s deep copy of
    every value first (a fifth of a 1M-order snapshot's time, for ids it then drops).
    """
    return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in leave_out}


def plain(value: Any) -> Any:
    """A value as JSON can hold it: NaN becomes None, dates become ISO text, dataclasses dicts."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain_fields(value)
    return value


def from_plain(cls: type[T], data: Any) -> T:
    """The dataclass ``cls`` rebuilt from :func:`plain` data (results.json), by its type hints.

    Keys that are not fields (derived values such as a KPI's ``status``) are ignored;
    missing keys take the field's default. Dates come back from ISO text, tuples from
    lists, nested dataclasses from dicts.

    Raises:
        TypeError, ValueError: the data does not have the shape of ``cls``.
    """
    return cast(T, _convert(cls, data))


T = TypeVar("T")


def _convert(hint: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        for option in options:
            try:
                return _convert(option, data)
            except (TypeError, ValueError, KeyError):
                continue
        raise ValueError(f"{data!r} fits none of {options}")
    if origin is Literal:
        if data not in get_args(hint):
            raise ValueError(f"{data!r} is not one of {get_args(hint)}")
        return data
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item) for item in data)
        return tuple(_convert(a, item) for a, item in zip(args, data, strict=True))
    if origin in (dict, Mapping):
        _, item = get_args(hint) or (str, Any)
        return {k: _convert(item, v) for k, v in data.items()}
    if origin is list:
        (item,) = get_args(hint) or (Any,)
        return [_convert(item, v) for v in data]
    if hint is Any:
        return data
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(data, dict):
            raise TypeError(f"{hint.__name__} needs a mapping, not {type(data).__name__}")
        hints = get_type_hints(hint)
        known = {f.name for f in dataclasses.fields(hint) if f.init}
        return hint(**{k: _convert(hints[k], v) for k, v in data.items() if k in known})
    if hint is dt.date:
        return data if isinstance(data, dt.date) else dt.date.fromisoformat(str(data))
    if hint is float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise TypeError(f"{data!r} is not a number")
        return float(data)
    if hint is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise TypeError(f"{data!r} is not a whole number")
        return data
    if hint is str:
        if not isinstance(data, str):
            raise TypeError(f"{data!r} is not text")
        return data
    if hint is bool:
        if not isinstance(data, bool):
            raise TypeError(f"{data!r} is not true or false")
        return data
    return data
