# SPDX-License-Identifier: MIT
"""lakeorm.connect(profile=...): a profile of a configuration file, as the
CLI reads it (docs/cli.md, "Configuration file")."""
import pytest

import lakeorm
from helpers import schema_of


def test_connect_opens_a_profile(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKE_TEST_DIR", str(tmp_path))
    monkeypatch.delenv("LAKEORM_PROFILE", raising=False)
    config = tmp_path / "lake.toml"
    config.write_text('default_profile = "dev"\n\n[profiles.dev]\nurl = "duckdb://${LAKE_TEST_DIR}/dev.duckdb"\n'
                      '[profiles.other]\nurl = "duckdb://${LAKE_TEST_DIR}/other.duckdb"\n')
    people = schema_of("people", ("id,pk", "int64"))
    with lakeorm.connect(config=str(config)) as lake:
        lake.migrate(people)
        lake.insert(people, [{"id": 1}])
    assert (tmp_path / "dev.duckdb").is_file() and not (tmp_path / "other.duckdb").exists()
    with lakeorm.Client(profile="other", config=str(config)) as lake:
        lake.migrate(people)
    assert (tmp_path / "other.duckdb").is_file()
    monkeypatch.chdir(tmp_path)
    config.rename(tmp_path / "lakeorm.toml")
    with lakeorm.connect(profile="dev") as lake:  # ./lakeorm.toml
        assert lake.query(people) == [{"id": 1}]


def test_a_missing_profile_names_the_others(tmp_path):
    config = tmp_path / "lakeorm.toml"
    config.write_text('[profiles.a]\n[profiles.b]\n')
    with pytest.raises(lakeorm.Error, match=r"profile \"c\" is not in .*\(its profiles: a, b\)"):
        lakeorm.connect(profile="c", config=str(config))
    with pytest.raises(TypeError):
        lakeorm.Client("duckdb://", profile="a")
