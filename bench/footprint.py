"""Install footprint: the size of the virtual environment a fresh `make run` builds (the runtime
dependencies of requirements/base.txt, with pip's own files), the figure a national node on a slow
link downloads and keeps; and, for information, the production environment (base.txt and
requirements/production.txt: PostgreSQL's driver, Redis's client, hnswlib).

    python -m bench.footprint

Builds a new virtual environment in a temporary folder with this Python, installs
requirements/base.txt into it (from pip's cache when it has the files), and measures the whole
folder (the files' bytes, and the blocks they take on disk as `du` counts them), then the largest
packages in it; then installs requirements/production.txt into the same environment and measures
it again. Prints one line, keeps the figures in bench/results/footprint.json. The target, 400 MB,
is the runtime environment's; the line says when it is missed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "footprint.json"
TARGET_MB = 400


def _size(path: Path, *, on_disk: bool = False) -> int:
    """The bytes of the files under ``path``, or with ``on_disk`` the blocks they take (as du)."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            file = Path(folder) / name
            if not file.is_symlink():
                stat = file.stat()
                total += stat.st_blocks * 512 if on_disk else stat.st_size
    return total


def _install(venv: Path, requirements: str) -> None:
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "-r", str(ROOT / "requirements" / requirements)],
        capture_output=True,
        text=True,
    )
    if install.returncode:
        raise SystemExit(f"footprint: pip could not install requirements/{requirements}\n{install.stderr}")


def measure() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="clearinghouse-footprint-") as work:
        venv = Path(work) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        _install(venv, "base.txt")
        site = next((venv / "lib").glob("python*/site-packages"))
        packages = sorted(
            (
                (entry.name, _size(entry) if entry.is_dir() else entry.stat().st_size)
                for entry in site.iterdir()
            ),
            key=lambda pair: -pair[1],
        )
        runtime = {
            "venv_mb": round(_size(venv) / 1e6, 1),
            "venv_on_disk_mb": round(_size(venv, on_disk=True) / 1e6, 1),
            "target_mb": TARGET_MB,
            "largest_mb": {name: round(size / 1e6, 1) for name, size in packages[:12]},
        }
        _install(venv, "production.txt")
        return runtime | {
            "production_mb": round(_size(venv) / 1e6, 1),
            "production_on_disk_mb": round(_size(venv, on_disk=True) / 1e6, 1),
        }


def run(scale: str = "full") -> dict[str, object]:
    figures = measure()
    venv_mb = float(figures["venv_mb"])  # type: ignore[arg-type]
    largest_mb: dict[str, float] = figures["largest_mb"]  # type: ignore[assignment]
    largest = ",".join(f"{name}:{size}" for name, size in list(largest_mb.items())[:6])
    verdict = "within target" if venv_mb <= TARGET_MB else "OVER TARGET"
    print(
        f"footprint venv_mb={figures['venv_mb']} on_disk_mb={figures['venv_on_disk_mb']} "
        f"target_mb={TARGET_MB} ({verdict}) production_mb={figures['production_mb']} "
        f"production_on_disk_mb={figures['production_on_disk_mb']} largest_mb={largest}"
    )
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    run()
