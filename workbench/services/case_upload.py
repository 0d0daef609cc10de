"""Import a case from uploaded files: the case folder's YAML files, or one .zip holding them.

The files are unpacked into a private temporary folder (never beside anything else), checked,
and read by ``cases.read_case``; problems name the uploaded file, not the temporary path.
Nothing is stored unless the whole case reads, validates and scores.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from io import BytesIO
from pathlib import Path, PurePosixPath

from workbench.domain.limits import clean_file_name
from workbench.errors import InvalidInput, Problem, WorkbenchError
from workbench.formats.cases import CASE_FILES
from workbench.formats.multiyear import PERIODS_FILE, PRIOR_FILE
from workbench.formats.result_use import RECORD_FILE
from workbench.services.access import require_first
from workbench.services.actors import Actor
from workbench.services.cases import (
    SYSTEM_FILE,
    FolderCase,
    import_workbook,
    read_case_folder,
    store_imported,
)
from workbench.services.ports import UnitOfWork
from workbench.services.trail import refusing_input

KNOWN = (*CASE_FILES, SYSTEM_FILE, PRIOR_FILE, PERIODS_FILE, RECORD_FILE)
MAX_BYTES = 20 * 1024 * 1024  # a case folder is a few hundred KB; more is not a case
MAX_MEMBERS = 200


def import_uploaded_case(
    uow: UnitOfWork, actor: Actor, files: Iterable[tuple[str, bytes]], *, evaluation_id: str | None = None
) -> str:
    """Store the case in ``files`` (name, content) and return its evaluation id.  The permission
    is checked before any file is opened; a refused upload is audited and changes nothing."""
    files = [(clean_file_name(name), content) for name, content in files]
    if not files:
        raise InvalidInput(
            "请上传案例文件：project.yaml、ledger.yaml、evaluation.yaml（可加 indicators.yaml），或包含它们的 .zip"
        )
    label = files[0][0] if len(files) == 1 and files[0][0].lower().endswith(".zip") else "上传的文件"
    require_first(uow, actor, "evaluation.create", what=f"上传案例 {label}")
    with refusing_input(uow, actor, f"上传案例 {label}"):
        read = _read_upload(files, label, evaluation_id)
    return store_imported(uow, actor, read, label)


def _read_upload(files: list[tuple[str, bytes]], label: str, evaluation_id: str | None) -> FolderCase:
    with tempfile.TemporaryDirectory(prefix="wb-case-") as tmp:
        folder = Path(tmp)
        if label.lower().endswith(".zip"):
            _unzip(files[0][1], label, folder)
        else:
            _write(files, folder)
        try:
            root = _case_root(folder, label)
            return read_case_folder(root, evaluation_id)
        except WorkbenchError as exc:
            raise type(exc)([_renamed(p, folder, label) for p in exc.problems]) from exc


def _write(files: list[tuple[str, bytes]], folder: Path) -> None:
    problems = []
    for name, content in files:
        base = PurePosixPath(name.replace("\\", "/")).name
        if base not in KNOWN:
            problems.append(Problem(f"不是案例文件；应为 {'、'.join(KNOWN)} 之一，或一个 .zip", file=name))
        elif len(content) > MAX_BYTES:
            problems.append(Problem("文件过大（超过 20 MB），不是案例文件", file=name))
        else:
            (folder / base).write_bytes(content)
    if problems:
        raise InvalidInput(problems)


def _unzip(content: bytes, label: str, folder: Path) -> None:
    try:
        archive = zipfile.ZipFile(BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise InvalidInput([Problem("不是有效的 .zip 压缩文件", file=label)]) from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_BYTES:
            raise InvalidInput([Problem("压缩文件内容过多或过大，不是案例文件夹", file=label)])
        for member in members:
            path = PurePosixPath(member.filename.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts:
                raise InvalidInput(
                    [Problem(f"压缩文件中的路径“{member.filename}”不安全，已拒绝", file=label)]
                )
            if path.name not in KNOWN or path.name.startswith("."):
                continue  # notes, readme files, macOS metadata: not part of the case
            target = folder.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                target.write_bytes(archive.read(member))
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:
                raise InvalidInput(
                    [Problem(f"无法解压“{member.filename}”（文件损坏或已加密）", file=label)]
                ) from exc


def _case_root(folder: Path, label: str) -> Path:
    """The folder holding evaluation.yaml: the top, or the one sub-folder that has it."""
    found = sorted(p.parent for p in folder.rglob("evaluation.yaml"))
    if not found:
        raise InvalidInput(
            [
                Problem(
                    "未找到 evaluation.yaml；案例须包含 project.yaml、ledger.yaml、evaluation.yaml",
                    file=label,
                )
            ]
        )
    if len(found) > 1:
        raise InvalidInput([Problem("包含多个案例（多个 evaluation.yaml），请每次上传一个案例", file=label)])
    return found[0]


def _renamed(problem: Problem, folder: Path, label: str) -> Problem:
    """A problem about a file in the temporary folder, named as the user knows it."""

    def rename(text: str | None) -> str | None:
        if not text or str(folder) not in text:
            return text
        return text.replace(str(folder) + "/", f"{label}：").replace(str(folder), label)

    return replace(problem, file=rename(problem.file), message=rename(problem.message) or "")


def import_uploaded_workbook(
    uow: UnitOfWork, actor: Actor, name: str, content: bytes, *, evaluation_id: str | None = None
) -> str:
    """Store an uploaded case workbook (.xlsx); problems name the file as uploaded."""
    base = clean_file_name(name, "案例工作簿.xlsx")
    if not base.lower().endswith(".xlsx"):
        raise InvalidInput([Problem("案例工作簿应为 .xlsx 文件", file=name)])
    if len(content) > MAX_BYTES:
        raise InvalidInput([Problem("文件过大（超过 20 MB），不是案例工作簿", file=name)])
    with tempfile.TemporaryDirectory(prefix="wb-case-") as tmp:
        path = Path(tmp) / base
        path.write_bytes(content)
        try:
            return import_workbook(uow, actor, path, evaluation_id=evaluation_id)
        except WorkbenchError as exc:
            raise type(exc)([_renamed(p, Path(tmp), name) for p in exc.problems]) from exc
