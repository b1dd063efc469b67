"""The example notebooks in ``examples/`` run from top to bottom (nbclient, the ``notebook``
extra): skipped without it, except in CI (``LBN_SIM_REQUIRE_NOTEBOOK=1``, set by
``.ci/run``), where it fails instead."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _notebook_tools_or_skip() -> None:
    missing = [m for m in ("nbclient", "ipykernel") if importlib.util.find_spec(m) is None]
    if missing:
        message = f'the notebook test needs {", ".join(missing)} (pip install -e ".[notebook]")'
        if os.environ.get("LBN_SIM_REQUIRE_NOTEBOOK"):
            pytest.fail(message)
        pytest.skip(message)


def test_the_examples_folder_holds_the_three_futures_notebook() -> None:
    assert (EXAMPLES / "three_futures_one_local_authority.ipynb").is_file()


@pytest.mark.slow
def test_three_futures_for_one_local_authority_runs(tmp_path: Path) -> None:
    """The notebook runs without error; its table names the authority's wards under each
    future, and its trajectory figure is drawn."""
    _notebook_tools_or_skip()
    import nbclient
    import nbformat

    path = EXAMPLES / "three_futures_one_local_authority.ipynb"
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert errors == []
    text = "\n".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs
    )
    assert "Synthetic LA" in text
    assert "worst_case" in text and "best_case" in text
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure drawn"
