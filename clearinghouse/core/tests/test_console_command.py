import shutil
import subprocess
import sys
from pathlib import Path


def test_the_clearinghouse_command_runs_management_commands() -> None:
    command = shutil.which("clearinghouse") or str(Path(sys.executable).parent / "clearinghouse")
    result = subprocess.run([command, "help", "worker"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "background-job worker" in result.stdout
