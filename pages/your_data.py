"""Your data page: upload a file, say what it holds and which column gives what, read the check, confirm or discard.

Layout only: reading is :func:`geo.importing.read.read_upload`, checking
:mod:`geo.importing.check`, the report's tables :mod:`geo.importing.report`,
the confirmed layer :mod:`geo.userlayers`; confirmed layers are kept in this
session (``ui.userlayers``) and drawn by the map. Everything from the file or
typed by the visitor is shown as text: escaped in ``st.html``, or in
``st.dataframe`` / ``st.text`` / widget values, never as Markdown.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from geo import markup
from geo.formatting import format_count
from geo.i18n import translator
from geo.importing.check import FIXABLE, CheckedLayer, accept, apply_fix, check_layer, recheck
from geo.importing.columns import KINDS, ROLES, guess_roles
from geo.importing.findings import Finding
from geo.importing.limits import LIMITS, MB
from geo.importing.read import FORMAT_NAMES, Upload, read_upload
from geo.importing.report import findings_table, summary_table
from geo.importing.templates import template_csv, template_help
from geo.userlayers import check_frame, file_stem, guess_kind, layer_csv, layer_geojson, user_layer
from ui import team, teamview
from ui.data import get_units
from ui.userlayers import add_layer, new_ident, remove_layer, session_layers
from ui.view import current_view

GENERATION = "your_data.generation"  # bumped to empty the file input after Confirm or Discard
READ = "your_data.read"  # (file id, layer, Upload): the file read once, not on every rerun
CHECK = "your_data.check"  # (signature, CheckedLayer): the check, with the visitor's decisions
NOTICE = "your_data.notice"  # what the last Confirm did, shown once
# Rows whose name candidates the page offers at once (the rest after these are decided).
CANDIDATE_ROWS = 25

lang = current_view().lang
tr = translator(lang)


def _forget_file() -> None:
    """Drop the file and its check and empty the file input: the Atlas stays as it was."""
    for key in (READ, CHECK):
        st.session_state.pop(key, None)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def _confirm(
    checked: CheckedLayer, name: str, source: str, file: UploadedFile, unit: str, roles: dict[str, str]
) -> None:
    layer = user_layer(
        checked,
        ident=new_ident(),
        name=name,
        source=source,
        file=file.name,
        unit=unit,
        sha256=hashlib.sha256(file.getvalue()).hexdigest(),
        mapping=roles,
    )
    add_layer(layer)
    st.session_state[NOTICE] = tr("your_data.confirmed", name=layer.name, n=format_count(layer.count, lang))
    _forget_file()


def _store(signature: tuple, checked: CheckedLayer) -> None:
    st.session_state[CHECK] = (signature, checked)


def _decide_outside(signature: tuple, checked: CheckedLayer, key: str) -> None:
    _store(signature, recheck(checked, outside=st.session_state[key]))


def _fix(signature: tuple, checked: CheckedLayer, findings: tuple[Finding, ...]) -> None:
    _store(signature, apply_fix(checked, findings))


def _accept(signature: tuple, checked: CheckedLayer, row: int, key: str) -> None:
    candidate = st.session_state[key]
    if candidate is not None:
        _store(signature, accept(checked, row, candidate))


def _read(file: UploadedFile, layer: str | None) -> Upload:
    """The upload read once per file and layer."""
    cached = st.session_state.get(READ)
    if cached is not None and cached[:2] == (file.file_id, layer):
        return cached[2]
    upload = read_upload(file.name, file.getvalue(), layer=layer)
    st.session_state[READ] = (file.file_id, layer, upload)
    st.session_state.pop(CHECK, None)
    return upload


def _html_line(text: str, css: str = "atlas-note") -> None:
    st.html(f"<p class='{css}'>{markup.text(text)}</p>")


def _layers_section() -> None:
    """The session's layers: name, kind, rows and source, with their downloads and a remove button."""
    layers = session_layers()
    if not layers:
        return
    editor = team.is_editor()
    st.subheader(tr("your_data.layers_heading"))
    for layer in layers:
        kind = tr(f"your_data.kinds.{layer.kind}")
        st.html(
            f"<p class='atlas-user-layer'><b>{markup.text(layer.name)}</b><br>"
            f"{markup.text(tr('your_data.layer_line', kind=kind, n=format_count(layer.count, lang), source=layer.source))}"
            f"{'<br>' + markup.text(tr('your_data.from_deck')) if layer.from_deck else ''}</p>"
        )
        stem = file_stem(layer)
        *download_cols, remove_col = st.columns(3)
        downloads = (("geojson", layer_geojson, "application/geo+json"), ("csv", layer_csv, "text/csv"))
        for column, (extension, contents, mime) in zip(download_cols, downloads, strict=True):
            column.download_button(
                tr(f"your_data.download_{extension}"),
                contents(layer),
                file_name=f"{stem}.{extension}",
                mime=mime,
                key=f"your_data.{extension}.{layer.ident}",
            )
        remove_col.button(
            tr("your_data.remove"),
            key=f"your_data.remove.{layer.ident}",
            on_click=remove_layer,
            args=(layer.ident,),
        )
        if editor:
            _publish_control(layer)


def _publish_control(layer) -> None:  # type: ignore[no-untyped-def]
    """An editor's "publish" for one session layer: a new layer, or a new version of a published one."""
    catalogue = team.catalogue()
    same_kind = [r for r in (catalogue.layers if catalogue else ()) if r.kind == layer.kind]
    target_col, button_col = st.columns(2)
    target = target_col.selectbox(
        tr("team.publish_as"),
        [None, *(record.ident for record in same_kind)],
        format_func=lambda ident: tr("team.publish_new") if ident is None else ident,
        key=f"team.target.{layer.ident}",
    )
    button_col.button(
        tr("team.publish"),
        key=f"team.publish.{layer.ident}",
        on_click=team.publish,
        args=(layer, target, lang),
    )


def _templates() -> None:
    with st.expander(tr("your_data.templates")):
        for kind in KINDS:
            label = tr(f"your_data.kinds.{kind}")
            st.download_button(
                tr("your_data.template", kind=label),
                template_csv(kind, lang),
                file_name=f"atlas-template-{kind}-{lang}.csv",
                mime="text/csv",
                key=f"your_data.template.{kind}",
            )
            st.text(template_help(kind, lang))


def _roles(upload: Upload, kind: str, prefix: str) -> dict[str, str]:
    """One select box per role of ``kind``, its default the guessed column; returns the chosen ``{role: column}``."""
    frame = check_frame(upload, kind)  # type: ignore[arg-type]
    columns = ["", *(str(column) for column in frame.columns if column != "geometry")]
    guessed = guess_roles(frame, kind)  # type: ignore[arg-type]
    st.markdown(f"**{tr('your_data.columns')}**")
    chosen: dict[str, str] = {}
    boxes = st.columns(3)
    for number, role in enumerate(ROLES[kind]):  # type: ignore[index]
        default = guessed.get(role, "")
        options = columns if default in columns else [*columns, default]
        with boxes[number % 3]:
            column = st.selectbox(
                tr(f"your_data.role.{role}"),
                options,
                index=options.index(default),
                format_func=lambda column: column or tr("your_data.no_column"),
                key=f"{prefix}.role.{kind}.{role}",
            )
        if column:
            chosen[role] = column
    return chosen


def _report(upload: Upload, checked: CheckedLayer | None) -> None:
    st.subheader(tr("your_data.report_heading"))
    findings = (*upload.findings, *(checked.findings if checked is not None else ()))
    if checked is not None:
        _html_line(
            tr(
                "your_data.kept",
                kept=format_count(checked.layer["row"].nunique(), lang),
                rejected=format_count(len(checked.rejected), lang),
            )
        )
    if not findings:
        _html_line(tr("your_data.clean"))
        return
    st.dataframe(summary_table(findings, lang), hide_index=True, width="stretch")
    st.markdown(f"**{tr('your_data.by_row')}**")
    # A finding about the whole file has no row: its cell says so instead of "None".
    st.dataframe(
        findings_table(findings, lang),
        hide_index=True,
        width="stretch",
        placeholder=tr("your_data.report.whole_file"),
    )


def _decisions(signature: tuple, checked: CheckedLayer, prefix: str) -> None:
    """What the visitor decides: rows outside the city, suggested fixes, and the unit a near-miss name means."""
    outside = any(finding.code.startswith("import_check.outside") for finding in checked.findings)
    fixable = [finding for finding in checked.findings if finding.code in FIXABLE]
    if not (outside or fixable or checked.candidates):
        return
    st.subheader(tr("your_data.decisions"))
    if outside:
        key = f"{prefix}.outside"
        st.radio(
            tr("your_data.outside"),
            ("keep", "drop"),
            index=("keep", "drop").index(checked.decisions.outside),
            format_func=lambda choice: tr(f"your_data.outside_choice.{choice}"),
            key=key,
            on_change=_decide_outside,
            args=(signature, checked, key),
            horizontal=True,
        )
    for code in dict.fromkeys(finding.code for finding in fixable):
        same = tuple(finding for finding in fixable if finding.code == code)
        st.text(same[0].text(lang))
        st.button(
            tr("your_data.fix", n=format_count(len(same), lang)),
            key=f"{prefix}.fix.{code}",
            on_click=_fix,
            args=(signature, checked, same),
        )
    pending = sorted(checked.candidates.items())
    if len(pending) > CANDIDATE_ROWS:
        _html_line(tr("your_data.candidates_more", shown=CANDIDATE_ROWS, total=len(pending)))
    said = {(finding.row, finding.code.rsplit(".", 1)[-1]): finding for finding in checked.findings}
    for (row, level), candidates in pending[:CANDIDATE_ROWS]:
        if (row, level) in said:
            st.text(said[(row, level)].text(lang))
        key = f"{prefix}.candidate.{row}.{level}"
        st.selectbox(
            tr("your_data.candidate", row=row, level=tr(f"your_data.levels.{level}")),
            (None, *candidates),
            format_func=lambda candidate: (
                tr("your_data.candidate_none") if candidate is None else candidate.label()
            ),
            key=key,
            on_change=_accept,
            args=(signature, checked, row, key),
        )


st.title(tr("your_data.title"))
st.markdown(tr("your_data.intro"))
if NOTICE in st.session_state:
    _html_line(st.session_state.pop(NOTICE), "atlas-user-notice")
teamview.notice()
_layers_section()
teamview.published("layer", lang)
teamview.sign_in(lang)
_templates()

generation = st.session_state.get(GENERATION, 0)
file = st.file_uploader(
    tr("your_data.upload", limit=LIMITS.upload_bytes // MB),
    key=f"your_data.file.{generation}",
    max_upload_size=LIMITS.upload_bytes // MB,
)
if file is not None:
    prefix = f"your_data.{generation}.{file.file_id}"
    upload = _read(file, st.session_state.get(f"{prefix}.layer"))
    if len(upload.layers) > 1:
        st.selectbox(
            tr("your_data.layer_choice"),
            upload.layers,
            index=upload.layers.index(upload.layer) if upload.layer in upload.layers else 0,
            key=f"{prefix}.layer",
        )
    if not upload.usable:
        _html_line(tr("your_data.unusable"))
        _report(upload, None)
        st.button(tr("your_data.discard"), key=f"{prefix}.discard", on_click=_forget_file)
        st.stop()
    _html_line(
        tr(
            "your_data.read_as",
            format=FORMAT_NAMES[upload.format or "text"],
            rows=format_count(len(upload.frame), lang),
        )
    )
    guessed_kind = guess_kind(upload)
    kind = st.radio(
        tr("your_data.kind"),
        KINDS,
        index=KINDS.index(guessed_kind),
        format_func=lambda choice: tr(f"your_data.kinds.{choice}"),
        key=f"{prefix}.kind",
        horizontal=True,
    )
    roles = _roles(upload, kind, prefix)
    signature = (file.file_id, upload.layer, kind, tuple(sorted(roles.items())))
    stored = st.session_state.get(CHECK)
    if stored is None or stored[0] != signature:
        _store(signature, check_layer(check_frame(upload, kind), kind, roles, get_units()))
    checked = st.session_state[CHECK][1]
    _report(upload, checked)
    _decisions(signature, checked, prefix)
    name = st.text_input(
        tr("your_data.name"), value=PurePosixPath(file.name).stem[:80], max_chars=80, key=f"{prefix}.name"
    )
    source = st.text_input(
        tr("your_data.source"),
        value=tr("your_data.source_default", file=file.name)[:200],
        max_chars=200,
        key=f"{prefix}.source",
    )
    unit = (
        st.text_input(tr("your_data.unit"), max_chars=60, key=f"{prefix}.unit")
        if kind == "indicators"
        else ""
    )
    if checked.layer.empty:
        _html_line(tr("your_data.nothing_kept"))
    confirm_col, discard_col = st.columns(2)
    confirm_col.button(
        tr("your_data.confirm"),
        key=f"{prefix}.confirm",
        type="primary",
        disabled=checked.layer.empty,
        on_click=_confirm,
        args=(
            checked,
            name.strip() or PurePosixPath(file.name).stem,
            source.strip(),
            file,
            unit.strip(),
            roles,
        ),
    )
    discard_col.button(tr("your_data.discard"), key=f"{prefix}.discard", on_click=_forget_file)
