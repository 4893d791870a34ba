"""The words around the tables of a report as published on the web, drawn from a seeded generator.

Real pages open with a paragraph that names all six sections (so a section's
name appears long before its heading), give a contact telephone number, and
write numbers into the narrative; a parser has to read past all of that. The
agency is named only where the golden names it: a golden without one gets
"本机关", so no page hands a reader an agency the golden does not know.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .labels import SECTION_HEADINGS
from .tables import Cells

SECTION_NAMES = "、".join(h.split("、", 1)[1] for h in SECTION_HEADINGS)
"""总体情况、主动公开政府信息情况、…、其他需要报告的事项: the list every intro paragraph gives."""

_NOTICES = {"2019": "国办公开办函〔2019〕60号", "2021": "国办公开办函〔2021〕30号"}
_AREA_CODES = ("0591", "0571", "0371", "0468", "0577", "028", "0771", "0411", "0579", "010")
_DOMAINS = ("www.hangzhou.gov.cn", "www.zhengzhou.gov.cn", "www.hegang.gov.cn", "www.yueqing.gov.cn",
            "www.chengdu.gov.cn", "www.nanning.gov.cn", "www.dl.gov.cn", "www.yk.gov.cn")
_SUBSECTIONS = (
    ("（一）主动公开",
     "全年通过门户网站主动公开政府信息{n}条，其中机构职能、政策文件、财政预决算等重点领域信息{m}条。"),
    ("（二）依申请公开", "全年共收到政府信息公开申请{new}件，均在法定期限内予以答复。"),
    ("（三）政府信息管理", "严格落实信息发布“三审三校”制度，全年未发生泄密事件。"),
    ("（四）平台建设", "持续优化政府信息公开专栏，更新栏目{k}个，政务新媒体发布信息{n2}条。"),
    ("（五）监督保障", "将政务公开工作纳入年度绩效考核，组织业务培训{t}次。"),
)


@dataclass(frozen=True)
class Prose:
    title: str
    intro: str
    """The opening paragraph: the template and notice followed, all six section names, the period covered."""
    contact: str
    """Where to ask: an address, a postcode and a telephone number."""
    overview: tuple[str, ...]
    """Section 一's paragraphs (some pages give them sub-headings such as （一）主动公开)."""
    problems: str
    other: str
    signature: tuple[str, ...]
    """The agency and the date it signed, or nothing."""
    published: str
    """``YYYY-MM-DD HH:MM:SS``, early in the year after the one reported."""
    url: str


def body_name(cells: Cells) -> str:
    agency = cells.get("meta.agency")
    return str(agency) if agency else "本机关"


def report_title(cells: Cells) -> str:
    agency = cells.get("meta.agency")
    return f"{agency or ''}{cells.get('meta.year')}年政府信息公开工作年度报告"


def write_prose(cells: Cells, edition: str, rng: random.Random) -> Prose:
    year = int(str(cells.get("meta.year")))
    body = body_name(cells)
    domain = rng.choice(_DOMAINS)
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    published = (f"{year + 1}-{month:02d}-{day:02d} "
                 f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}")
    article = f"art_{rng.randint(1000, 9999)}_{rng.randint(10**6, 10**7)}"
    url = f"https://{domain}/art/{year + 1}/{month}/{day}/{article}.html"
    intro = ("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室"
             f"关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（{_NOTICES[edition]}）要求编制。"
             f"本报告包括{SECTION_NAMES}。"
             f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
             f"本报告电子版可在{body}门户网站（https://{domain}）查阅或下载。")
    phone = f"{rng.choice(_AREA_CODES)}-{rng.randint(10**7, 10**8 - 1)}"
    contact = (f"如对本报告有任何疑问，请与{body}办公室联系（地址：{rng.choice(('人民路', '府前街', '中山路'))}"
               f"{rng.randint(1, 300)}号，邮编：{rng.randint(100000, 860000)}，联系电话{phone}）。")
    return Prose(
        title=report_title(cells), intro=intro, contact=contact,
        overview=_overview(cells, year, body, rng),
        problems=(f"{year}年，{body}政府信息公开工作取得了一定成效，但仍存在公开内容不够丰富、解读形式较为单一等问题。"
                  f"{year + 1}年，{body}将进一步加强业务培训，提升信息发布质量。"),
        other=rng.choice(("本年度未收取信息处理费。", "无其他需要报告的事项。",
                          f"{body}{year}年度未发生收取信息处理费的情况。")),
        signature=(body, f"{year + 1}年{month}月{day}日") if cells.get("meta.agency") and rng.random() < 0.6 else (),
        published=published, url=url)


def _overview(cells: Cells, year: int, body: str, rng: random.Random) -> tuple[str, ...]:
    opening = (f"{year}年，{body}坚持以公开为常态、不公开为例外，认真贯彻落实《中华人民共和国政府信息公开条例》，"
               "持续推进政务公开工作，主动回应社会关切。")
    if rng.random() < 0.4:
        return (opening,)
    new = cells.get("t3.new.total")
    parts = [opening]
    for heading, text in _SUBSECTIONS:
        if "{new}" in text and new is None:
            continue
        parts.append(heading + text.format(n=rng.randint(120, 3000), m=rng.randint(10, 90), new=new,
                                           k=rng.randint(2, 12), n2=rng.randint(50, 900), t=rng.randint(1, 6)))
    return tuple(parts)
