"""audit.kernel: the notebook's kernel started before the run reads its context, and the engine that uses it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import papermill
import psutil
import pytest
from jupyter_client.provisioning import LocalProvisioner

from audit import runner
from audit.exceptions import ConfigError
from audit.kernel import KERNEL_NAME, engine, launched
from conftest import TINY


def _kernels() -> list[psutil.Process]:
    """This process's children running an IPython kernel."""
    return [p for p in psutil.Process().children(recursive=True) if "ipykernel_launcher" in " ".join(p.cmdline())]


def _pid(manager: object) -> int:
    provisioner = getattr(manager, "provisioner", None)
    assert isinstance(provisioner, LocalProvisioner) and provisioner.pid is not None
    return int(provisioner.pid)


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def test_the_engine_runs_the_notebook_on_the_kernel_started_ahead_and_shuts_it_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _notebook(
        tmp_path / "in.ipynb", "import os\nprint(os.getcwd(), os.getpid(), os.environ['CSAT_PROBE'], sep='\\n')"
    )
    folder = tmp_path / "audit folder"
    folder.mkdir()
    monkeypatch.setenv("CSAT_PROBE", "inherited")  # set before the start: the kernel's environment is fixed then
    with launched(folder) as manager:
        pid = _pid(manager)
        monkeypatch.setenv("CSAT_PROBE", "too late")
        nb = papermill.execute_notebook(
            str(source), str(tmp_path / "out.ipynb"), engine_name=engine(), km=manager,
            kernel_name=KERNEL_NAME, progress_bar=False,
        )  # fmt: skip
        assert not manager.has_kernel  # shut down by the engine's client, as papermill does with its own
    assert nb.cells[0].outputs[0]["text"].splitlines() == [str(folder.resolve()), str(pid), "inherited"]
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_kernel_the_notebook_never_used_is_killed_when_the_block_ends(tmp_path: Path) -> None:
    with pytest.raises(ConfigError), launched(tmp_path) as manager:
        kernel = psutil.Process(_pid(manager))
        raise ConfigError("the register could not be read")
    _gone, alive = psutil.wait_procs([kernel], timeout=10)
    assert not alive


def test_the_run_starts_its_kernel_before_reading_the_register_and_earlier_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "site" / "2026-Q3"
    shutil.copytree(TINY, folder)
    seen: list[int] = []

    def unreadable(config: object) -> None:
        seen.append(len(_kernels()))
        raise ConfigError("actions.xlsx: unreadable")

    monkeypatch.setattr(runner, "context_for", unreadable)
    before = {p.pid for p in _kernels()}
    with pytest.raises(ConfigError, match="unreadable"):
        runner.run_audit(folder, progress=False)
    assert seen and seen[0] > len(before)  # the kernel was already starting while the context was read
    left = [p for p in _kernels() if p.pid not in before]
    _gone, alive = psutil.wait_procs(left, timeout=10)
    assert not alive, "the kernel was left running"
    assert not (folder / ".audit.lock").exists() and os.listdir(folder)
