"""Shared fixtures: paths to the repo's seeds and the shared development data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
DEV_DATA = SHARED / "data" / "ecbplus_dev.jsonl"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def dev_data() -> Path:
    if not DEV_DATA.exists():
        pytest.skip(
            f"development data not found at {DEV_DATA} (it lives in ../shared/data beside the checkout)"
        )
    return DEV_DATA
