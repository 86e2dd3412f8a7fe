"""Reading audit.yaml safely: bounded size, aliases and depth, duplicate keys refused, line numbers kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from audit.exceptions import ConfigError

__all__ = ["MAX_ALIASED_VALUES", "MAX_CONFIG_BYTES", "MAX_DEPTH", "decode_yaml", "describe_error", "parse_yaml"]

#: audit.yaml is refused above this size (a real one is a few kilobytes)
MAX_CONFIG_BYTES = 1024 * 1024
#: values that aliases (``*name``) may repeat in one file, counted as if written out
MAX_ALIASED_VALUES = 10_000
#: levels of nesting (mappings and lists inside each other) in audit.yaml
MAX_DEPTH = 50


class _Refused(Exception):
    """audit.yaml breaks one of the loader's bounds; the message says which, at which line."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


_MERGE = "tag:yaml.org,2002:merge"


class _BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses what only a mistake or an attack writes.

    Refused: values repeated by aliases beyond :data:`MAX_ALIASED_VALUES` (counted as if written
    out, so that a billion-laughs bomb fails after a few hundred events, wherever it sits), an
    alias inside the value it names, nesting deeper than :data:`MAX_DEPTH`, and a key given twice
    in one mapping (merge keys ``<<`` excepted: they are meant to be overridden). An impossible
    date such as 2026-13-01 stays text, so that the model's check names its key. The line of
    every key is kept (``lines``) for the messages.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.lines: dict[tuple[str, ...], int] = {}
        self._path: list[str] = []
        self._depth = 0
        self._expanded = 0  # values composed, aliases counted as the values they repeat
        self._aliased = 0
        self._sizes: dict[int, int] = {}  # id(node) → values it holds, itself included

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1
        if isinstance(index, ScalarNode):  # a mapping's value, under this key
            step: str | None = index.value
            line = index.start_mark.line + 1
        elif isinstance(index, int) and not isinstance(index, bool):  # an item of a list
            step = str(index)
        else:  # a mapping's key, or the document itself
            step = None
        if step is not None:
            self._path.append(step)
            self.lines.setdefault(tuple(self._path), line)
        try:
            if isinstance(event, yaml.AliasEvent):
                self._count_alias(str(event.anchor), line)
                return super().compose_node(parent, index)
            if self._depth >= MAX_DEPTH:
                raise _Refused(f"values are nested more than {MAX_DEPTH} levels deep", line)
            before = self._expanded
            self._expanded += 1
            self._depth += 1
            try:
                node = super().compose_node(parent, index)
            finally:
                self._depth -= 1
        finally:
            if step is not None:
                self._path.pop()
        if node is not None:
            self._sizes[id(node)] = self._expanded - before
        return node

    def _count_alias(self, anchor: str, line: int) -> None:
        target = self.anchors.get(anchor)
        if target is None:  # an undefined alias: PyYAML's own error follows
            return
        size = self._sizes.get(id(target))
        if size is None:
            raise _Refused(f"the alias *{anchor} is used inside the value it names", line)
        self._aliased += size
        self._expanded += size
        if self._aliased > MAX_ALIASED_VALUES:
            raise _Refused(
                f"aliases (*{anchor} and others) repeat more than {MAX_ALIASED_VALUES:,} values; "
                "write the values out instead of repeating anchors",
                line,
            )

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        node = super().compose_mapping_node(anchor)
        seen: dict[Hashable, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE or not isinstance(key_node, ScalarNode):
                continue
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                name = ".".join([*self._path, str(key)])
                raise _Refused(
                    f"duplicate key '{name}' at lines {seen[key]} and {line}; keep one (the file is read top "
                    "to bottom, and a second value would silently replace the first)",
                    line,
                )
            seen[key] = line
        return node

    def construct_date_or_text(self, node: ScalarNode) -> dt.date | str:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:  # 2026-13-01, 2026-02-30: left as text for the model to refuse by key
            return str(node.value)


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _BoundedLoader.construct_date_or_text)


def decode_yaml(data: bytes, path: Path) -> str:
    """audit.yaml's text; refused with a message saying how to save it when it is not UTF-8 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigError(
            f"{path}: the file is saved as UTF-16, not UTF-8; open it in a text editor and save it as UTF-8", path
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ConfigError(
            f"{path} line {line}: not a text file (it holds NUL bytes); audit.yaml must be text saved as UTF-8", path
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            looks = ", it looks saved as GB18030/GBK (Chinese Windows)"
        except UnicodeDecodeError:
            looks = ""
        raise ConfigError(
            f"{path} line {line}: the file is not UTF-8 text (byte 0x{data[exc.start]:02x}){looks}; "
            "open it in a text editor and save it as UTF-8",
            path,
        ) from None


def parse_yaml(text: str, path: Path) -> tuple[Any, dict[tuple[str, ...], int]]:
    """The YAML document in ``text`` and the line of each key, read by :class:`_BoundedLoader`."""
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)  # checks the characters of the whole text
        return loader.get_single_data(), loader.lines
    except _Refused as exc:
        line = f" line {exc.line}" if exc.line is not None else ""
        raise ConfigError(f"{path}{line}: {exc}", path) from None
    except yaml.reader.ReaderError as exc:
        number = text[: exc.position].count("\n") + 1
        raise ConfigError(
            f"{path} line {number}: holds the control character U+{exc.character:04X}, which YAML does not allow; "
            "remove it (audit.yaml must be plain text)",
            path,
        ) from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        if "'\\t'" in str(problem):
            hint = "indent with spaces, not tabs"
        elif "constructor for the tag" in str(problem):
            hint = "remove the tag (!!…): audit.yaml holds plain text, numbers, dates, lists and keys"
        else:
            hint = "fix the file (put text holding : ? # { } [ ] in quotes)"
        raise ConfigError(f"{path}{line}: not valid YAML ({problem}); {hint}", path) from None
    finally:
        if loader is not None:
            loader.dispose()


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def describe_error(error: Any, lines: dict[tuple[str, ...], int]) -> str:
    loc = tuple(str(part) for part in error["loc"])
    location = ".".join(loc)
    line = next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines), None)
    at = f" (line {line})" if line is not None else ""
    if error["type"] == "extra_forbidden":
        return f"unknown key '{location}'{at} (check its spelling)"
    if error["type"] == "missing":
        return f"missing key '{location}'{at}"
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if isinstance(value, str | int | float | dt.date) and str(value) not in message:
        message += f"; it is {_shown(value)}"
    return f"'{location}'{at}: {message}" if location else message
