"""Legacy and web formats on real files (tests/ingest/data/make_formats.py): XLS, DOC, ODT, ODS and
HTML saved by LibreOffice from our own exports, a Word-style GBK page and MHTML archives made from
Writer's HTML, password-protected XLS/DOC, and the bad cases (no LibreOffice, LibreOffice hanging or
failing, a page without a form, a 50 MB page, hostile spans), each one clear line."""

from __future__ import annotations

import email.encoders
import email.policy
import json
import os
import quopri
import re
import sys
import threading
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from perfeval.compare import compare_bundle
from perfeval.errors import ImportFailure
from perfeval.ingest import SUPPORTED_SUFFIXES, read_bytes, read_forms
from perfeval.ingest.errors import ConversionError, EncryptedFileError, FileTooLargeError, NotAFormError
from perfeval.ingest.libreoffice import find_soffice
from perfeval.interchange import bundle_to_dict

DATA = Path(__file__).parent / "data"
TRUTH = json.loads((DATA / "formats.json").read_text(encoding="utf-8"))["forms"]
WRITER_HTML = (DATA / "formats-writer.html").read_bytes()

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")


def _accuracy(forms: list) -> tuple[float, list[str]]:
    errors: list[str] = []
    ok, total = compare_bundle(bundle_to_dict(forms)["forms"], TRUTH, errors, name="formats")
    assert total > 300
    return ok / total, errors


@pytest.mark.parametrize("name", ["formats.xls", "formats-writer.html", "formats-calc.html"])
def test_in_process_formats_read_every_field(name: str) -> None:
    forms = read_forms(DATA / name)
    assert len(forms) == 4
    accuracy, errors = _accuracy(forms)
    assert accuracy >= 0.995, errors[:20]


@needs_soffice
@pytest.mark.parametrize("name", ["formats.doc", "formats.odt", "formats.ods"])
def test_libreoffice_formats_read_every_field(name: str) -> None:
    forms = read_bytes(name, (DATA / name).read_bytes())
    accuracy, errors = _accuracy(forms)
    assert accuracy >= 0.995, errors[:20]
    assert all(f.source["file"] == name for f in forms)


def test_xls_merged_ranges_give_the_merged_labels() -> None:
    """The merged 一级/二级指标 cells of the XLS reach every indicator row under them."""
    forms = read_forms(DATA / "formats.xls")
    for form, truth in zip(forms, TRUTH, strict=True):
        assert [(i.level1, i.level2) for i in form.indicators] == [
            (i["level1"], i["level2"]) for i in truth["indicators"]
        ]


def test_content_decides_not_the_extension() -> None:
    """Government systems hand out HTML tables named .xls; WPS names its files .et/.wps."""
    xls = (DATA / "formats.xls").read_bytes()
    assert _accuracy(read_bytes("导出.et", xls))[0] >= 0.995
    assert _accuracy(read_bytes("导出", xls))[0] >= 0.995
    assert _accuracy(read_bytes("导出.xls", WRITER_HTML))[0] >= 0.995
    utf16 = b"\xff\xfe" + WRITER_HTML.decode("utf-8").encode("utf-16-le")  # Word's "Unicode" web page
    assert _accuracy(read_bytes("自评表.htm", utf16))[0] >= 0.995


@needs_soffice
def test_wps_writer_file_goes_through_libreoffice() -> None:
    assert _accuracy(read_bytes("自评表.wps", (DATA / "formats.doc").read_bytes()))[0] >= 0.995


@pytest.mark.parametrize("name", ["encrypted.xls", "encrypted.doc"])
def test_password_protected_office_files_are_one_line(name: str) -> None:
    with pytest.raises(EncryptedFileError) as exc:
        read_forms(DATA / name)
    assert "密码" in exc.value.message and "\n" not in exc.value.cli_line()


def _word_style(html: bytes, base: str = "http://127.0.0.1:9") -> bytes:
    """Writer's page as Word saves one: GB2312 declared in ``http-equiv``, source lines wrapped inside
    Chinese words, plus a script, a style and links that must be neither run nor fetched."""
    text = html.decode("utf-8")
    text = re.sub(r"<meta http-equiv=\"content-type\"[^>]*>", "", text, flags=re.IGNORECASE)
    text = text.replace(
        "<head>",
        '<head>\n<meta http-equiv=Content-Type content="text/html; charset=gb2312">\n'
        f'<link rel=stylesheet href="{base}/style.css"><script src="{base}/x.js"></script>',
        1,
    )
    text = text.replace(
        "<body",
        '<script>document.write("项目名称：脚本写的假名称");</script>'
        "<style>p { color: red } /* 项目名称 */</style>"
        f'<img src="{base}/logo.png"><iframe src="{base}/frame.html"></iframe><body',
        1,
    )

    def wrap(m: re.Match[str]) -> str:
        s = m.group(1)
        return ">" + "\r\n".join(s[i : i + 7] for i in range(0, len(s), 7)) + "<"

    text = re.sub(r">([\u4e00-\u9fff]{8,})<", wrap, text)  # Word wraps its source lines mid-word
    # Word's own markup: an MsoNormalTable, empty <o:p>, conditional comments, a trailing width row
    text = text.replace("<table ", "<table class=MsoNormalTable ").replace("</p>", "<o:p></o:p></p>")
    text = text.replace(
        "</table>",
        "<![if !supportMisalignedColumns]><tr height=0><td width=33 style='border:none'></td>"
        "<td width=100></td></tr><![endif]></table>",
    )
    text = text.replace(
        "<body", "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]--><body"
    )
    return text.encode("gbk")


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    """A server on a free local port that records every request made to it."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.hits
    httpd.shutdown()
    httpd.server_close()


def test_gbk_word_page_is_read_and_fetches_nothing(server) -> None:
    base, hits = server
    page = _word_style(WRITER_HTML, base)
    assert b"\r\n" in page and "项目".encode("gbk") in page
    forms = read_bytes("自评表.htm", page)
    accuracy, errors = _accuracy(forms)
    assert accuracy >= 0.995, errors[:20]
    assert all("脚本" not in f.project_name for f in forms)
    assert hits == []


def _mhtml(html: bytes, charset: str, encoding: str) -> bytes:
    """A single-file web page: the HTML part (quoted-printable or base64) and an image part."""
    msg = MIMEMultipart("related", type="text/html")
    part = MIMENonMultipart("text", "html", charset=charset)
    if encoding == "quoted-printable":
        part.set_payload(quopri.encodestring(html).decode("ascii"))
        part["Content-Transfer-Encoding"] = "quoted-printable"
    else:
        part.set_payload(html)
        email.encoders.encode_base64(part)
    part["Content-Location"] = "file:///C:/report.htm"
    msg.attach(part)
    msg.attach(MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(64), "png"))
    return msg.as_bytes(policy=email.policy.SMTP)


@pytest.mark.parametrize(
    ("charset", "encoding"), [("gb2312", "quoted-printable"), ("utf-8", "base64")], ids=["word", "chrome"]
)
def test_mhtml_archives(charset: str, encoding: str) -> None:
    html = WRITER_HTML if charset == "utf-8" else _word_style(WRITER_HTML)
    if charset != "utf-8":  # the charset is only in the MIME header
        html = html.replace(b'<meta http-equiv=Content-Type content="text/html; charset=gb2312">', b"")
    data = _mhtml(html, charset, encoding)
    assert data.startswith(b"Content-Type: multipart/related") and b"MIME-Version" in data[:200]
    forms = read_bytes("自评表.mht", data)
    accuracy, errors = _accuracy(forms)
    assert accuracy >= 0.995, errors[:20]


def test_title_and_labels_outside_the_table() -> None:
    """A page whose title, year and 项目名称 are paragraphs above a table with spans."""
    page = """<html><head><meta charset="gbk"><title>自评</title></head><body>
    <h2>项目支出绩效自评表</h2><p>（2022年度）</p>
    <table border=1>
    <tr><td>项目名称</td><td colspan=8>农村公路养护工程</td></tr>
    <tr><td>主管部门</td><td colspan=3>某某区交通运输局</td><td colspan=2>实施单位</td><td colspan=3>某某区公路所</td></tr>
    <tr><td rowspan=2>项目资金（元）</td><td colspan=2></td><td>年初预算数</td><td>全年预算数</td>
        <td>全年执行数</td><td>分值</td><td>执行率</td><td>得分</td></tr>
    <tr><td colspan=2>年度资金总额</td><td>100</td><td>100</td><td>90</td><td>10</td><td>90%</td><td>9</td></tr>
    <tr><td rowspan=3>绩效指标</td><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td>
        <td>实际完成值</td><td>分值</td><td>得分</td><td>偏差原因分析及改进措施</td></tr>
    <tr><td rowspan=2>产出指标</td><td rowspan=2>数量指标</td><td>养护里程</td><td>≥10公里</td><td>10公里</td>
        <td>20</td><td>20</td><td></td></tr>
    <tr><td>桥梁检测数量</td><td>=5座</td><td>4座</td><td>20</td><td>16</td><td>天气原因</td></tr>
    <tr><td colspan=6>总分</td><td>100</td><td>45</td><td></td></tr>
    </table></body></html>""".encode("gbk")
    (form,) = read_bytes("page.html", page)
    assert (form.year, form.project_name, form.department) == (2022, "农村公路养护工程", "某某区交通运输局")
    assert [(i.level1, i.level2, i.name, i.target, i.score) for i in form.indicators] == [
        ("产出指标", "数量指标", "养护里程", "≥10公里", 20),
        ("产出指标", "数量指标", "桥梁检测数量", "=5座", 16),
    ]
    assert form.indicators[1].deviation == "天气原因"


def test_page_without_a_form_is_one_line() -> None:
    page = "<!DOCTYPE html><html><body><h1>通知公告</h1><table><tr><td>序号</td><td>标题</td></tr></table>"
    with pytest.raises(NotAFormError) as exc:
        read_bytes("news.html", page.encode())
    assert exc.value.message == "文件中没有找到项目支出绩效自评表"


def test_hostile_spans_and_nesting_stay_bounded() -> None:
    page = (
        "<html><body><table><tr>"
        + '<td rowspan="999999999" colspan="999999999">x</td>' * 50
        + "</tr>"
        + "<tr><td>y</td></tr>" * 2000
        + "</table>"
        + "<div>" * 5000
        + "深"
        + "</div>" * 5000
        + "</body></html>"
    )
    with pytest.raises(NotAFormError):
        read_bytes("spans.html", page.encode())


def test_fifty_megabyte_page_is_refused(tmp_path: Path) -> None:
    row = "<tr><td>项目名称</td><td>填充内容填充内容填充内容</td></tr>\n".encode()
    big = b"<html><body><table>\n" + row * (50 * 1024 * 1024 // len(row)) + b"</table></body></html>"
    assert len(big) >= 49 * 1024 * 1024
    with pytest.raises(FileTooLargeError) as exc:
        read_bytes("big.html", big)
    assert "网页文件过大" in exc.value.message
    path = tmp_path / "big.htm"
    path.write_bytes(big)
    with pytest.raises(FileTooLargeError):
        read_forms(path)


def test_without_libreoffice_one_line_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PERFEVAL_SOFFICE", str(tmp_path / "no-soffice"))
    for name, want in (("formats.doc", "DOCX"), ("formats.ods", "XLSX"), ("formats.odt", "DOCX")):
        with pytest.raises(ConversionError) as exc:
            read_forms(DATA / name)
        assert "LibreOffice" in exc.value.message and want in exc.value.message
        assert "\n" not in exc.value.cli_line()
    others = {
        "x.rtf": (b"{\\rtf1\\ansi \\b \\'cf\\'ee\\'c4\\'bf}", "DOCX"),
        "x.xml": (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook/>', "XLSX"),
        "y.xml": (
            b'<?xml version="1.0"?>\n<?mso-application progid="Word.Document"?>\n<w:wordDocument/>',
            "DOCX",
        ),
    }
    for name, (data, want) in others.items():  # recognised by content, and sent to LibreOffice
        with pytest.raises(ConversionError) as exc:
            read_bytes(name, data)
        assert want in exc.value.message
    # an XLS does not need LibreOffice
    assert len(read_forms(DATA / "formats.xls")) == 4


def _our_soffice_processes() -> list[str]:
    out = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if "perfeval-lo-" in args and "input.doc" in args:
            out.append(args)
    return out


@needs_soffice
def test_libreoffice_hanging_is_killed_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real soffice, given less time than it needs to start: the whole tree is killed."""
    monkeypatch.setenv("PERFEVAL_SOFFICE_TIMEOUT", "0.5")
    with pytest.raises(ConversionError) as exc:
        read_forms(DATA / "formats.doc")
    assert "超时" in exc.value.message
    if sys.platform.startswith("linux"):
        assert _our_soffice_processes() == []


@needs_soffice
def test_libreoffice_failing_is_one_line() -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content")  # cut off: LibreOffice cannot load it
    with pytest.raises(ImportFailure) as exc:
        read_bytes("坏.odt", buf.getvalue())
    assert "\n" not in exc.value.cli_line()


def test_supported_suffixes_cover_the_new_formats() -> None:
    for suffix in (".xls", ".et", ".doc", ".wps", ".odt", ".ods", ".html", ".htm", ".mhtml", ".mht"):
        assert suffix in SUPPORTED_SUFFIXES


def test_cli_reads_the_good_files_and_gives_one_line_per_bad_one(tmp_path: Path) -> None:
    import subprocess

    page = tmp_path / "news.html"
    page.write_text("<html><body><p>通知</p></body></html>", encoding="utf-8")
    files = [DATA / "formats.xls", DATA / "encrypted.doc", page, DATA / "formats-writer.html"]
    proc = subprocess.run(
        [sys.executable, "-m", "perfeval", "parse", *map(str, files), "--json"],
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout.count('"project_name"') == 8
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert "encrypted.doc" in lines[0] and "密码" in lines[0]
    assert "news.html" in lines[1] and "没有找到" in lines[1]


def test_soffice_found_in_the_windows_install_places(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without soffice on PATH, a Windows install under Program Files (x86) is found; nothing is found
    where nothing is installed."""
    monkeypatch.delenv("PERFEVAL_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(sys, "platform", "win32")
    for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
        monkeypatch.setenv(var, str(tmp_path / var))
    if os.name != "nt":  # (a real Windows machine may have C:\\Program Files\\LibreOffice)
        assert find_soffice() is None
    exe = tmp_path / "ProgramFiles(x86)" / "LibreOffice" / "program" / "soffice.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"")
    assert find_soffice() == exe
