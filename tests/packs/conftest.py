"""One sample pack, built once: the leak and stamp tests all read the same file."""

import shutil
import subprocess
from pathlib import Path

import pytest

from requests_app.packs.build import build_pack
from tests.packs.factories import sample_spec

ARTEFACTS = Path(__file__).resolve().parents[2] / "artefacts" / "packs"


@pytest.fixture(scope="session")
def sample_pack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sample-pack")
    spec = sample_spec(tmp)
    calls = []
    result = build_pack(spec, tmp / "pack.pdf", progress=lambda *a: calls.append(a))
    # Keep small page images of the pack for a human to look at (artefacts/ is not committed).
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTEFACTS.glob("sample-*.png"):
        old.unlink()
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(tmp / "pack.pdf"),
                        str(ARTEFACTS / "sample")], check=True)
    return spec, result, tmp / "pack.pdf", calls
