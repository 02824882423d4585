"""Settings: each environment variable parsed in one module, at call time, documented once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo import settings
from geo.paths import DATA_DIR, ROOT, data_dir

# Where the app, its tools and its tests' harness live (tests may set variables, not read them).
APP_CODE = ("app.py", "geo", "ui", "pages", "bench", "e2e")
ENV_READ = re.compile(r"os\.getenv|os\.environ\s*(?:\.get\b|\[)|environ\.get\(|getenv\(")


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No Atlas setting in the environment."""
    for name in settings.NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# --- flags -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "Yes", "on", " 1 "])
def test_flags_read_yes(clean: pytest.MonkeyPatch, value: str) -> None:
    clean.setenv(settings.OFFLINE, value)
    clean.setenv(settings.REQUIRE_VENDOR, value)
    assert settings.offline() is True
    assert settings.require_vendor() is True


@pytest.mark.parametrize("value", ["0", "false", "False", "no", "OFF"])
def test_flags_read_no(clean: pytest.MonkeyPatch, value: str) -> None:
    clean.setenv(settings.OFFLINE, value)
    clean.setenv(settings.REQUIRE_VENDOR, value)
    assert settings.offline() is False
    assert settings.require_vendor() is False


@pytest.mark.parametrize("value", [None, "", "   "])
def test_unset_or_blank_flags_take_their_defaults(clean: pytest.MonkeyPatch, value: str | None) -> None:
    if value is not None:
        clean.setenv(settings.OFFLINE, value)
        clean.setenv(settings.REQUIRE_VENDOR, value)
    assert settings.offline() is None, "unset: the connection probe decides"
    assert settings.require_vendor() is False


@pytest.mark.parametrize("value", ["ture", "maybe", "2", "y", "offline"])
@pytest.mark.parametrize(
    ("name", "read"), [(settings.OFFLINE, "offline"), (settings.REQUIRE_VENDOR, "require_vendor")]
)
def test_a_bad_flag_is_a_clear_error(clean: pytest.MonkeyPatch, value: str, name: str, read: str) -> None:
    clean.setenv(name, value)
    with pytest.raises(settings.SettingError, match=rf"{name}='{value}' is not a yes/no value.*1/0"):
        getattr(settings, read)()


def test_the_environment_is_read_at_call_time(clean: pytest.MonkeyPatch) -> None:
    assert settings.offline() is None
    clean.setenv(settings.OFFLINE, "1")
    assert settings.offline() is True
    clean.setenv(settings.OFFLINE, "0")
    assert settings.offline() is False


# --- paths -----------------------------------------------------------------------------------


def test_data_dir_defaults_to_the_shipped_data(clean: pytest.MonkeyPatch) -> None:
    assert settings.data_dir() is None
    assert data_dir() == DATA_DIR
    clean.setenv(settings.DATA_DIR, "  ")
    assert data_dir() == DATA_DIR


def test_data_dir_names_an_existing_folder(clean: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean.setenv(settings.DATA_DIR, f" {tmp_path} ")
    assert settings.data_dir() == tmp_path
    assert data_dir() == tmp_path


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_data_dir_that_is_not_a_folder_is_a_clear_error(
    clean: pytest.MonkeyPatch, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / "nowhere"
    if kind == "file":
        target.write_text("not a folder", encoding="utf-8")
    clean.setenv(settings.DATA_DIR, str(target))
    with pytest.raises(settings.SettingError, match=r"ATLAS_DATA_DIR=.* is not a folder"):
        data_dir()


def test_browsers(clean: pytest.MonkeyPatch) -> None:
    assert settings.chrome() is None
    assert settings.chromium() == "/usr/bin/chromium"
    clean.setenv(settings.CHROME, " /opt/chrome/chrome ")
    clean.setenv(settings.CHROMIUM, "/opt/chromium")
    assert settings.chrome() == "/opt/chrome/chrome"
    assert settings.chromium() == "/opt/chromium"
    clean.setenv(settings.CHROME, "")
    assert settings.chrome() is None


# --- the store ------------------------------------------------------------------------------


def test_the_store_is_embedded_in_a_folder_unless_a_database_url_is_set(
    clean: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert (settings.store_dir(), settings.database_url(), settings.editor_emails()) == (
        None,
        None,
        frozenset(),
    )
    clean.setenv(settings.STORE, str(tmp_path / "not-yet"))
    assert settings.store_dir() == tmp_path / "not-yet"  # made when the store opens
    clean.setenv(settings.DATABASE_URL, "postgresql://atlas@db/atlas")
    assert settings.database_url() == "postgresql://atlas@db/atlas"
    clean.setenv(settings.EDITOR_EMAILS, " Ana@Example.org ,, luis@example.org ")
    assert settings.editor_emails() == {"ana@example.org", "luis@example.org"}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (settings.STORE, "file", "is a file: name a folder"),
        (settings.DATABASE_URL, "sqlite:///atlas.db", "must be a PostgreSQL URL"),
        (settings.EDITOR_EMAILS, "ana@example.org, luis", "'luis', which is not an e-mail address"),
    ],
)
def test_a_store_setting_that_cannot_work_is_a_clear_error(
    clean: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str, message: str
) -> None:
    if value == "file":
        value = str(tmp_path / "a-file")
        Path(value).write_text("not a folder", encoding="utf-8")
    clean.setenv(name, value)
    read = {settings.STORE: settings.store_dir, settings.DATABASE_URL: settings.database_url}
    with pytest.raises(settings.SettingError, match=message):
        read.get(name, settings.editor_emails)()


# --- one module, one table -------------------------------------------------------------------


def _app_sources() -> list[Path]:
    files: list[Path] = []
    for entry in APP_CODE:
        path = ROOT / entry
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def test_no_other_module_reads_the_environment() -> None:
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _app_sources()
        if path != ROOT / "geo" / "settings.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ENV_READ.search(line)
    ]
    assert not readers, f"read environment variables through geo.settings: {readers}"


def test_every_setting_is_documented_in_the_docstring_and_the_readme_table() -> None:
    docstring = settings.__doc__ or ""
    assert re.findall(r"^(ATLAS_\w+) :", docstring, re.MULTILINE) == list(settings.NAMES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(ATLAS_\w+)` \|", table, re.MULTILINE)
    assert rows == list(settings.NAMES)


def test_every_atlas_variable_in_the_code_is_a_setting() -> None:
    """A new ``ATLAS_*`` variable set or read anywhere must join the settings module and the table."""
    used = set()
    for path in [*_app_sources(), *sorted((ROOT / "tests").rglob("*.py")), ROOT / "Makefile"]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"[\"'](ATLAS_[A-Z_]+)[\"']|\b(ATLAS_[A-Z_]+)=", text))
    names = {name for pair in used for name in pair if name}
    assert names <= set(settings.NAMES)
