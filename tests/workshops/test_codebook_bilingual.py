"""The codebook in two languages: pillar, working-group, theme and sub-topic names (and the group's
description) in the API as `…_zh` beside the English, and on the codebook page in the reader's language."""

ZH = {"Accept-Language": "zh-CN"}


def _translate(db, group):
    group.pillar.name_zh, group.name_zh, group.description_zh = "医疗", "第一工作组", "塑造可持续医疗"
    theme = group.themes[0]
    theme.name_zh, theme.sub_topics[0].name_zh = "采用大数据和信息通信技术", "数据交换"
    db.session.commit()


def test_the_codebook_api_carries_both_languages(client, db, working_group):
    _translate(db, working_group)
    [pillar] = client.get("/api/v1/codebook").get_json()
    assert (pillar["name"], pillar["name_zh"]) == ("Pillar 1", "医疗")
    group = pillar["working_group"]
    assert group["name_zh"] == "第一工作组"
    theme = group["themes"][0]
    assert theme["name_zh"] == "采用大数据和信息通信技术"
    assert [(s["name"], s["name_zh"]) for s in theme["sub_topics"]] == [("Data exchange", "数据交换"), ("Privacy", "")]
    [listed] = client.get("/api/v1/working-groups").get_json()["items"]
    assert (listed["name_zh"], listed["description_zh"], listed["pillar_name_zh"]) == (
        "第一工作组",
        "塑造可持续医疗",
        "医疗",
    )


def test_a_chinese_reader_sees_the_codebook_in_chinese_with_untranslated_names_marked(client, db, working_group):
    _translate(db, working_group)
    page = client.get("/working-groups", headers=ZH).get_data(as_text=True)
    assert "医疗" in page and "第一工作组 — 塑造可持续医疗" in page and "<li>数据交换</li>" in page
    assert '<li><span lang="en">Privacy</span> <small class="original-language">' in page
    assert "Data exchange" not in page
