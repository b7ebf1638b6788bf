"""Each benchmark under benchmarks/ runs end to end at a tiny size and prints its ratio line last."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = {  # tiny sizes: this proves the scripts work, it measures nothing
    "write_path.py": ["--seconds", "0.2", "--clients", "1", "--backend", "sqlite"],
    "catalogue.py": ["--families", "3", "--clients", "1", "--seconds", "0.05", "--backend", "postgres"],
    "read_your_writes.py": ["--samples", "2", "--backend", "sqlite", "--layouts", "embedded"],
    "national.py": ["--sizes", "3", "--backend", "postgres"],
    "suggestions.py": ["--families", "30", "--calls", "3", "--backend", "both"],
    "as_of.py": ["--families", "4", "--backend", "both"],
}


def test_every_benchmark_prints_its_ratio_last(postgres_available: None) -> None:
    # In parallel: each spends most of its time starting servers and child processes.
    procs = {name: subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / name), *args], cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for name, args in RUNS.items()}
    outputs = {name: p.communicate(timeout=300)[0] for name, p in procs.items()}
    for name, p in procs.items():
        lines = outputs[name].strip().splitlines()
        assert p.returncode == 0, f"{name} failed:\n{outputs[name][-3000:]}"
        assert lines and lines[-1].startswith("ratio"), f"{name} did not end with its ratio:\n{outputs[name][-3000:]}"
        assert "%" in lines[-1] and "ERRORS" not in outputs[name], outputs[name][-3000:]
