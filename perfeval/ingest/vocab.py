"""The printed vocabulary of 项目支出绩效自评表: labels, headers and text rules shared by every importer.

Every function here is pure.  Labels are compared after :func:`norm_label` (NFKC, no whitespace, no
trailing colon), so ``其中： 当年财政拨款`` and ``当年财政拨款`` read the same.

Sources: the central template (财预〔2020〕10号 附件) as printed on real forms (普陀, 松江, 池州, 中江)
and the Sichuan 2023 template (部门预算项目支出绩效自评表), see docs/domain-rules.md §1.1 and §2.2.
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------------------------------------
# Normalising labels


def norm_label(text: str | None) -> str:
    """A label as compared: NFKC, whitespace removed, a trailing colon dropped, brackets half-width.

    >>> norm_label("其中： 当年财政拨款")
    '其中:当年财政拨款'
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    return s.rstrip(":")


_PAREN_SUFFIX = re.compile(r"\([^()]*\)$")
_QIZHONG = re.compile(r"^(其中)[:、,]?")


def _strip_suffixes(s: str) -> str:
    """Drop printed suffixes such as ``(A)``, ``(B/A)``, ``(万元)``, ``(10分)`` from a normalised label."""
    while True:
        t = _PAREN_SUFFIX.sub("", s)
        if t == s or not t:
            return s
        s = t


# ---------------------------------------------------------------------------------------------
# Funds (项目资金) rows and columns

#: Printed funds-row label (normalised, without 其中：) -> the row's kind in the interchange spec.
FUND_ROW_KINDS: dict[str, str] = {
    "年度资金总额": "total",
    "资金总额": "total",
    "总额": "total",
    "总计": "total",
    "当年财政拨款": "fiscal",
    "本年财政拨款": "fiscal",
    "财政拨款": "fiscal",
    "财政资金": "fiscal",
    "上年结转资金": "carryover",
    "上年结转": "carryover",
    "上年结余结转资金": "carryover",
    "财政专户管理资金": "special_account",
    "单位资金": "unit",
    "其他资金": "other",
}


def fund_row_label(text: str | None) -> str:
    """The printed label of a funds row without its ``其中：`` prefix: ``其中：当年财政拨款`` -> ``当年财政拨款``."""
    return _QIZHONG.sub("", norm_label(text))


def fund_kind(text: str | None) -> str | None:
    """The kind of a funds row (``total``, ``fiscal``, ``carryover``, ``special_account``, ``unit``,
    ``other``) from its printed label, or None when the label is not a funds row."""
    label = _strip_suffixes(fund_row_label(text))
    return FUND_ROW_KINDS.get(label)


#: Printed funds-header label -> FundRow field (``reason`` is Sichuan's 原因 column, kept in extra).
FUND_COLUMNS: dict[str, str] = {
    "年初预算数": "initial_budget",
    "年初预算": "initial_budget",
    "年初预算金额": "initial_budget",
    "全年预算数": "annual_budget",
    "全年预算": "annual_budget",
    "调整后预算数": "annual_budget",
    "调整后预算": "annual_budget",
    "全年执行数": "executed",
    "全年执行": "executed",
    "预算执行数": "executed",
    "执行数": "executed",
    "实际执行数": "executed",
    "分值": "weight",
    "权重": "weight",
    "执行率": "execution_rate",
    "预算执行率": "execution_rate",
    "得分": "score",
    "原因": "reason",
    "原因分析": "reason",
}


def fund_column(text: str | None) -> str | None:
    """The FundRow field a funds-header cell names: ``全年预算数（A）`` -> ``annual_budget``."""
    return _column(FUND_COLUMNS, text)


# ---------------------------------------------------------------------------------------------
# Indicator (绩效指标) columns

#: Printed indicator-header label -> Indicator field.  ``nature``/``value``/``unit`` are the Sichuan
#: 指标性质/指标值/度量单位 split of the target (a lone ``value`` column is the whole target).
INDICATOR_COLUMNS: dict[str, str] = {
    "一级指标": "level1",
    "一级": "level1",
    "二级指标": "level2",
    "二级": "level2",
    "三级指标": "name",
    "三级": "name",
    "指标名称": "name",
    "年度指标值": "target",
    "年度目标值": "target",
    "年初目标值": "target",
    "目标值": "target",
    "指标值": "value",
    "指标性质": "nature",
    "度量单位": "unit",
    "计量单位": "unit",
    "实际完成值": "actual",
    "全年实际值": "actual",
    "实际值": "actual",
    "完成值": "actual",
    "全年完成值": "actual",
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
    "偏差原因分析及改进措施": "deviation",
    "偏差原因分析及改进措施说明": "deviation",
    "未完成原因分析": "deviation",
    "未完成原因及拟采取的改进措施": "deviation",
    "偏差原因分析": "deviation",
    "偏差大或目标未完成原因分析": "deviation",
}


def indicator_column(text: str | None) -> str | None:
    """The Indicator field an indicator-header cell names: ``实际完成值（B）`` -> ``actual``."""
    return _column(INDICATOR_COLUMNS, text)


def _column(columns: dict[str, str], text: str | None) -> str | None:
    """The field a header cell names in ``columns``, with or without its ``（A）``/``（元）`` suffixes.

    A header cut short still names its column (a spreadsheet row too low for the wrapped header,
    ``全年预算`` / ``数`` printing only ``全年预算``; a shrunk or cut ``年度指标``, ``实际完成``,
    ``偏差原因分析及``): the text read as the start of a known header, when every header it starts
    names the same field."""
    s = norm_label(text)
    hit = columns.get(s) or columns.get(_strip_suffixes(s))
    if hit:
        return hit
    head = _strip_suffixes(_OPEN_PAREN.sub("", s))
    if len(head) < _MIN_PREFIX or head[0].isdigit():
        return None
    return _prefixes(columns).get(head)


#: A header cut inside its printed suffix: ``全年预算数（A`` -> ``全年预算数``.
_OPEN_PAREN = re.compile(r"\([^()]*$")
#: The shortest cut header read by its start (``一级``, ``得分`` are exact labels anyway).
_MIN_PREFIX = 2


_PREFIX_MAPS: dict[int, dict[str, str]] = {}


def _prefixes(columns: dict[str, str]) -> dict[str, str]:
    """Every start of a header label in ``columns`` (at least :data:`_MIN_PREFIX` characters) -> its
    field, for the starts that only labels of one field share (built once per vocabulary)."""
    out = _PREFIX_MAPS.get(id(columns))
    if out is None:
        fields: dict[str, set[str]] = {}
        for label, field in columns.items():
            for n in range(_MIN_PREFIX, len(label) + 1):
                fields.setdefault(label[:n], set()).add(field)
        out = _PREFIX_MAPS[id(columns)] = {start: next(iter(f)) for start, f in fields.items() if len(f) == 1}
    return out


# ---------------------------------------------------------------------------------------------
# Form-level labels

#: Printed label -> what it introduces.  ``goal`` is the 年度总体目标 block; ``funds`` and
#: ``indicators`` open their tables; ``total`` is the 总分/合计 row.
FORM_LABELS: dict[str, str] = {
    "项目名称": "project_name",
    "主管部门": "department",
    "主管部门及代码": "department",
    "实施单位": "implementing_unit",
    "项目资金": "funds",
    "预算执行情况": "funds",
    "年度总体目标": "goal",
    "总体目标": "goal",
    "项目基本情况": "goal",
    "项目年度目标完成情况": "goal",
    "1.项目年度目标完成情况": "goal",
    "预期目标": "goal_planned",
    "预算目标": "goal_planned",
    "年初设定目标": "goal_planned",
    "项目年度目标": "goal_planned",
    "年度目标": "goal_planned",
    "实际完成情况": "goal_actual",
    "年度总体目标完成情况综述": "goal_actual",
    "年度目标完成情况": "goal_actual",
    "绩效指标": "indicators",
    "总分": "total",
    "合计": "total",
    "评价结论": "conclusion",
    "存在问题": "problems",
    "改进措施": "improvements",
    "项目实施内容及过程概述": "implementation_summary",
    "2.项目实施内容及过程概述": "implementation_summary",
    "项目负责人": "project_leader",
    "项目负责人及电话": "project_leader",
    "财务负责人": "finance_leader",
}


def form_label(text: str | None) -> str | None:
    """What a printed form label introduces (see :data:`FORM_LABELS`), or None.

    ``实施单位（盖章）``, ``项目资金（万元）``, ``绩效指标（90分）`` and ``项目负责人：`` are recognised."""
    s = norm_label(text)
    if not s:
        return None
    hit = FORM_LABELS.get(s) or FORM_LABELS.get(_strip_suffixes(s))
    if hit:
        return hit
    if s.startswith("项目资金") and money_unit(s):
        return "funds"
    return None


# ---------------------------------------------------------------------------------------------
# Money unit, title, year


def money_unit(text: str | None) -> str | None:
    """``元`` or ``万元`` from a label such as ``项目资金（万元）`` or ``（单位：元）``; None when absent."""
    s = norm_label(text)
    m = re.search(r"\((?:单位:|金额单位:)?(万元|元)\)", s) or re.search(r"单位:(万元|元)", s)
    return m.group(1) if m else None


_TITLE = re.compile(r"绩效自评表")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年度?")


def is_title(text: str | None) -> bool:
    """Whether ``text`` is (or contains) a form title: ``财政项目支出绩效自评表``, ``项目支出绩效自评表（2022年度）``."""
    s = norm_label(text)
    return bool(_TITLE.search(s)) and len(s) <= 60 and "项目" in s


def title_year(text: str | None) -> int | None:
    """The evaluated year printed in or under a title: ``(2022 年度)`` -> 2022; None when absent."""
    m = _YEAR.search(norm_label(text))
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------------------------------------
# Values

_CODE = re.compile(r"^\s*([0-9A-Za-z]{8,})\s*[-－—–_]\s*(\S.*)$", re.S)


def split_project_code(name: str) -> tuple[str | None, str]:
    """Split a project code printed in front of the name (Sichuan 2023):
    ``51000021R000000019951-工资性支出`` -> (``51000021R000000019951``, ``工资性支出``).

    A code is at least 8 letters/digits, 6 or more of them digits, followed by a dash."""
    m = _CODE.match(name or "")
    if m and sum(c.isdigit() for c in m.group(1)) >= 6:
        return m.group(1), m.group(2).strip()
    return None, (name or "").strip()


_SEAL = re.compile(r"\s*[（(]\s*盖\s*章\s*[）)]\s*")


def strip_seal(text: str | None) -> str:
    """Remove the printed ``（盖章）`` (seal) mark: ``实施单位（盖章）`` -> ``实施单位``."""
    return _SEAL.sub("", text or "").strip()


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_wide(ch: str) -> bool:
    """CJK ideographs, kana, full-width forms and CJK punctuation: no spaces around them."""
    if not ch:
        return False
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x3000 <= o <= 0x303F
        or 0x20000 <= o <= 0x3FFFF
        or ch in "“”‘’—…·"
    )


def join_lines(lines: list[str]) -> str:
    """Join the visual lines of one wrapped cell: no space is inserted at a break, except between two
    Latin letters (``Smart`` / ``City`` -> ``Smart City``).

    >>> join_lines(["安全等第三方测试通过", "率"])
    '安全等第三方测试通过率'
    """
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and _is_latin(out[-1]) and _is_latin(line[0]):
            out += " "
        out += line
    return out


_SPACE_RUN = re.compile(r"[ \t\u00a0\u3000]+")


def clean_text(text: str | None) -> str:
    """A printed cell's text, canonical: line-wraps joined (:func:`join_lines`), spaces next to Chinese
    characters or full-width punctuation removed, other space runs collapsed to one."""
    if not text:
        return ""
    s = join_lines(re.split(r"\r\n|\r|\n", text))
    if " " not in s and "\t" not in s and "\u00a0" not in s and "\u3000" not in s:
        return s
    parts = _SPACE_RUN.split(s)
    out = parts[0]
    for part in parts[1:]:
        if not part:
            continue
        if not out:
            out = part
        elif _is_wide(out[-1]) or _is_wide(part[0]):
            out += part
        else:
            out += " " + part
    return out.strip()


# ---------------------------------------------------------------------------------------------
# Radicals

#: Pairs (radical, ideograph): Kangxi radicals (U+2F00–U+2FD5) and CJK radicals supplement
#: (U+2E80–U+2EF3) -> the unified ideograph drawn with the same glyph in a Simplified-Chinese font
#: (Noto Sans CJK SC's cmap).  PDF writers that subset such fonts (Chrome, Skia) often map the
#: glyph back to the radical in /ToUnicode, so ``主管部门`` comes out as ``主管部⻔``.
_RADICAL_PAIRS = (
    "⺂乛⺃乚⺅亻⺉刂⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺭礻⺯糹⺰纟⺱罓⺹耂⺺肀⺾艹⻂衤⻅见⻆角⻈讠⻉贝⻋车⻌辶⻐钅⻑長⻒镸⻓长"
    "⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟⼀一⼁丨⼂丶⼃丿⼄乙⼅亅⼆二⼇亠⼈人⼉儿⼊入⼋八⼌冂"
    "⼍冖⼎冫⼏几⼐凵⼑刀⼒力⼓勹⼔匕⼕匚⼖匸⼗十⼘卜⼙卩⼚厂⼛厶⼜又⼝口⼞囗⼟土⼠士⼡夂⼢夊⼣夕⼤大⼥女⼦子⼧宀⼨寸⼩小⼪尢⼫尸⼬屮⼭山⼮巛⼯工⼰己⼱巾⼲干⼳幺⼴广"
    "⼵廴⼶廾⼷弋⼸弓⼺彡⼻彳⼼心⼽戈⼾户⼿手⽀支⽁攴⽂文⽃斗⽄斤⽅方⽆无⽇日⽈曰⽉月⽊木⽋欠⽌止⽍歹⽎殳⽏毋⽐比⽑毛⽒氏⽓气⽔水⽕火⽖爪⽗父⽘爻⽙爿⽚片⽛牙⽜牛⽝犬"
    "⽞玄⽟玉⽠瓜⽡瓦⽢甘⽣生⽤用⽥田⽦疋⽧疒⽨癶⽩白⽪皮⽫皿⽬目⽭矛⽮矢⽯石⽰示⽱禸⽲禾⽳穴⽴立⽵竹⽶米⽷糸⽸缶⽹网⽺羊⽻羽⽼老⽽而⽿耳⾀聿⾁肉⾂臣⾃自⾄至⾅臼⾆舌"
    "⾇舛⾈舟⾉艮⾊色⾋艸⾌虍⾍虫⾎血⾏行⾐衣⾑襾⾒見⾔言⾕谷⾖豆⾗豕⾘豸⾙貝⾚赤⾛走⾜足⾝身⾞車⾟辛⾠辰⾡辵⾢邑⾣酉⾤釆⾥里⾦金⾧長⾨門⾩阜⾪隶⾫隹⾬雨⾭靑⾮非⾯面"
    "⾰革⾱韋⾲韭⾳音⾴頁⾵風⾶飛⾷食⾸首⾹香⾺馬⾼高⾽髟⾾鬥⾿鬯⿀鬲⿁鬼⿂魚⿃鳥⿄鹵⿅鹿⿆麥⿇麻⿈黃⿉黍⿊黑⿋黹⿌黽⿍鼎⿎鼓⿏鼠⿑齊⿒齒⿓龍⿕龠"
)
_RADICALS = str.maketrans(
    {_RADICAL_PAIRS[i]: _RADICAL_PAIRS[i + 1] for i in range(0, len(_RADICAL_PAIRS), 2)}
)


def unify_radicals(text: str) -> str:
    """Radical code points replaced by the ideographs they stand for: ``项⽬⽀出`` -> ``项目支出``."""
    if not any("\u2e80" <= ch <= "\u2fdf" for ch in text):
        return text
    out = text.translate(_RADICALS)
    return "".join(unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch for ch in out)
