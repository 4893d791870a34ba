"""The printed labels of the template's tables, per edition, as the national template words them."""

from __future__ import annotations

T3_PARENT = "三、本年度办理结果"
APPLICANT_HEADERS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

# (row key, group label or "", row label)
T3_LABELS_2021: tuple[tuple[str, str, str], ...] = (
    ("new", "", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "", "二、上年结转政府信息公开申请数量"),
    ("granted", "", "（一）予以公开"),
    ("partial", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied_state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("denied_law_forbidden", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("denied_safety_stability", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("denied_third_party", "（三）不予公开", "4.保护第三方合法权益"),
    ("denied_internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("denied_process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("denied_enforcement_file", "（三）不予公开", "7.属于行政执法案卷"),
    ("denied_query_matter", "（三）不予公开", "8.属于行政查询事项"),
    ("unavailable_not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed_petition", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed_duplicate", "（五）不予处理", "2.重复申请"),
    ("not_processed_publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed_excessive", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed_confirm", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", "（六）其他处理",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "（六）其他处理", "3.其他"),
    ("total", "", "（七）总计"),
    ("carried_forward", "", "四、结转下年度继续办理"),
)
T3_LABELS_2019 = tuple(
    r for r in T3_LABELS_2021 if not r[0].startswith("other_")
)[:20] + (("other", "", "（六）其他处理"),) + (T3_LABELS_2021[-2], T3_LABELS_2021[-1])

T2Item = tuple[str, str, tuple[str, ...]]
"""(row key, label, column keys)"""
T2Block = tuple[str, tuple[str, ...], tuple[T2Item, ...]]
"""(heading, column headers, items): one 第二十条 item of section 二."""

T2_BLOCKS: dict[str, tuple[T2Block, ...]] = {
    "2021": (
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
         (("rules", "规章", ("issued", "repealed", "in_force")),
          ("normative", "行政规范性文件", ("issued", "repealed", "in_force")))),
        ("第二十条第（五）项", ("本年处理决定数量",),
         (("licensing", "行政许可", ("decisions",)),)),
        ("第二十条第（六）项", ("本年处理决定数量",),
         (("punishment", "行政处罚", ("decisions",)), ("coercion", "行政强制", ("decisions",)))),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",),
         (("fees", "行政事业性收费", ("amount",)),)),
    ),
    "2019": (
        ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
         (("rules", "规章", ("new_made", "new_published", "total_published")),
          ("normative", "规范性文件", ("new_made", "new_published", "total_published")))),
        ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
         (("licensing", "行政许可", ("prev_items", "change", "decisions")),
          ("other_services", "其他对外管理服务事项", ("prev_items", "change", "decisions")))),
        ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
         (("punishment", "行政处罚", ("prev_items", "change", "decisions")),
          ("coercion", "行政强制", ("prev_items", "change", "decisions")))),
        ("第二十条第（八）项", ("上一年项目数量", "本年增/减"),
         (("fees", "行政事业性收费", ("prev_items", "change")),)),
        ("第二十条第（九）项", ("采购项目数量", "采购总金额（单位：万元）"),
         (("procurement", "政府集中采购", ("items", "amount")),)),
    ),
}

T4_HEADER_TOP = ("行政复议", "行政诉讼")
T4_HEADER_GROUPS = ("未经复议直接起诉", "复议后起诉")
T4_COLUMN_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

SECTION_HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def t3_labels(edition: str) -> tuple[tuple[str, str, str], ...]:
    return T3_LABELS_2021 if edition == "2021" else T3_LABELS_2019
