"""The desk's new config sections: [survey], [evaluation] (weights, roles) and [operator]."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.evaluation import Weights
from tui.settings import ConfigError, load_settings


def test_sections_parse_and_the_weights_are_the_evaluation_weights(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[survey]\nanswer_key = "x"\n[evaluation]\nattendance = 1\ninnovation = 0.5\n'
                    'presidium_roles = ["主席"]\n[operator]\nmember_id = "2026001"\n',
                    encoding="utf-8")
    settings = load_settings(path)
    assert settings.survey.answer_key == "x" and settings.operator.member_id == "2026001"
    assert isinstance(settings.evaluation, Weights)
    assert (settings.evaluation.of("attendance"), settings.evaluation.of("innovation"),
            settings.evaluation.of("requests")) == (1, 0.5, 0.10)
    assert settings.evaluation.presidium_roles == ["主席"]


def test_the_shipped_config_parses_to_the_defaults() -> None:
    shipped = load_settings(Path(__file__).parents[2] / "config.toml")
    assert shipped.evaluation == load_settings(None).evaluation
    assert shipped.operator.member_id == "" and shipped.survey.answer_key == ""


def test_a_misspelt_weight_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[evaluation]\nattendence = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_settings(path)
