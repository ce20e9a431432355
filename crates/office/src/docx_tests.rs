use std::io::Read;

use quick_xml::{Reader, events::Event};

use super::*;

/// What Word would read: every text run and every East Asian font named, from the document
/// part, parsed with a general XML reader (not the writer's own model).
fn read_back(bytes: &[u8]) -> (Vec<String>, Vec<String>, String) {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut r = Reader::from_str(&xml);
    let (mut texts, mut fonts, mut page) = (Vec::new(), Vec::new(), String::new());
    let mut in_text = false;
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_owned();
                in_text = name == "w:t";
                for a in e.attributes().flatten() {
                    let v = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap().into_owned();
                    match (name.as_str(), a.key.as_ref()) {
                        ("w:rFonts", "w:eastAsia") => fonts.push(v),
                        ("w:pgSz", "w:w") => page = v,
                        _ => {}
                    }
                }
            }
            Event::Text(t) if in_text => texts.push(t.xml10_content().into_owned()),
            Event::End(_) => in_text = false,
            Event::Eof => break,
            _ => {}
        }
    }
    (texts, fonts, page)
}

#[test]
fn an_approval_form_opens_back_with_its_facts_opinions_and_fonts() {
    let facts =
        vec![("线索编号".to_string(), "RMYY1-2026-0001".to_string()), ("被反映人".into(), "张某（药剂科科长）".into())];
    let opinions = vec![
        ("承办部门意见".to_string(), "建议予以初步核实。".to_string(), "李某".to_string(), "2026-12-01".to_string()),
        ("纪委书记审批意见".into(), String::new(), String::new(), String::new()),
    ];
    let sheet = FormSheet {
        title: "问题线索处置呈批表",
        number: "编号：RMYY1-2026-0001-D17",
        unit: "填报单位：市第一人民医院",
        facts: &facts,
        steps_title: "",
        steps_head: ["", "", "", ""],
        steps: &[],
        opinions: &opinions,
        printed: "打印于 2026-12-02",
        sign_words: ("签名", "日期"),
    };
    let bytes = form_docx(&sheet).unwrap();
    let (texts, fonts, page) = read_back(&bytes);
    let all = texts.concat();
    assert!(texts.contains(&"问题线索处置呈批表".to_string()), "{texts:?}");
    assert!(all.contains("张某（药剂科科长）") && all.contains("建议予以初步核实。"), "{all}");
    assert!(all.contains("签名：李某") && all.contains("日期：2026-12-01"), "{all}");
    assert!(all.contains("纪委书记审批意见"), "the committee head's block is there to sign");
    assert!(fonts.iter().any(|f| f == "方正小标宋简体") && fonts.iter().any(|f| f == "仿宋_GB2312"), "{fonts:?}");
    assert_eq!(page, "11906", "A4");
}

#[test]
fn a_letter_opens_back_with_its_number_addressee_paragraphs_and_fonts() {
    let paragraphs = vec!["一、建立药品耗材采购回避制度。".to_owned(), String::new(), "二、开展警示教育。".to_owned()];
    let bytes = letter_docx(&LetterSheet {
        title: "纪律检查建议书",
        number: "纪建〔2026〕3号",
        addressee: "市第一人民医院党委",
        paragraphs: &paragraphs,
        issuer: "市卫生健康委直属机关纪委",
        date: "2026年12月7日",
    })
    .unwrap();
    let (texts, fonts, page) = read_back(&bytes);
    assert_eq!(texts[0], "纪律检查建议书");
    assert!(texts.contains(&"纪建〔2026〕3号".to_owned()), "{texts:?}");
    assert!(texts.contains(&"市第一人民医院党委：".to_owned()), "{texts:?}");
    assert!(texts.contains(&"\u{3000}\u{3000}二、开展警示教育。".to_owned()), "indented two characters: {texts:?}");
    assert_eq!(texts.iter().filter(|t| t.starts_with('\u{3000}')).count(), 2, "the blank line is left out");
    assert_eq!(texts.last().map(String::as_str), Some("2026年12月7日"));
    assert!(fonts.contains(&"方正小标宋简体".to_owned()) && fonts.contains(&"仿宋_GB2312".to_owned()));
    assert_eq!(page, "11906", "A4");
}

#[test]
fn a_bulletin_opens_back_with_its_red_head_body_and_ranking_table() {
    let paragraphs = vec!["为推动问题线索清零工作落实落地，现将2026年11月各单位问题线索办理情况通报如下。".to_string()];
    let rows = vec![
        vec!["1".to_string(), "市第一人民医院".into(), "97.5".into(), "100.0%".into(), "0".into(), "通报表扬".into()],
        vec![
            "2".to_string(),
            "市第二人民医院".into(),
            "58.0".into(),
            "40.0%".into(),
            "6".into(),
            "约谈主要负责人".into(),
        ],
    ];
    let sheet = BulletinSheet {
        issuer: "市卫生健康委直属机关纪委",
        doc_no: "郑卫直机纪〔2026〕5号",
        title: "关于2026年11月问题线索办理情况的通报",
        addressees: "各委属单位纪检组织",
        paragraphs: &paragraphs,
        attachment_title: "2026年11月各单位问题线索办理情况排名表",
        head: &["排名", "单位", "得分", "清零率", "超期未办结", "通报类别"],
        rows: &rows,
        dated: "2026年12月7日",
    };
    let bytes = bulletin_docx(&sheet).unwrap();
    let (texts, fonts, page) = read_back(&bytes);
    let at = |s: &str| texts.iter().position(|t| t == s).unwrap_or_else(|| panic!("{s} not in {texts:?}"));
    assert!(at("市卫生健康委直属机关纪委") < at("郑卫直机纪〔2026〕5号"), "the issuer heads the number");
    assert!(at("郑卫直机纪〔2026〕5号") < at("关于2026年11月问题线索办理情况的通报"));
    assert!(texts.contains(&"各委属单位纪检组织：".to_string()));
    assert!(texts.iter().any(|t| t.starts_with("\u{3000}\u{3000}为推动")), "indented two characters");
    assert!(texts.contains(&"\u{3000}\u{3000}附件：2026年11月各单位问题线索办理情况排名表".to_string()));
    assert!(at("2026年12月7日") < at("附件"), "the date closes the body before the attachment");
    // The table: header then rows, cell by cell.
    let table = &texts[at("排名")..];
    assert_eq!(&table[..6], ["排名", "单位", "得分", "清零率", "超期未办结", "通报类别"]);
    assert_eq!(&table[6..12], ["1", "市第一人民医院", "97.5", "100.0%", "0", "通报表扬"]);
    assert!(fonts.iter().any(|f| f == "方正小标宋简体") && fonts.iter().any(|f| f == "仿宋_GB2312"));
    assert_eq!(page, "11906", "A4");
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(xml.contains("w:color w:val=\"FF0000\""), "the issuer in red");
    assert!(xml.contains("w:type=\"page\""), "the attachment on a page of its own");
}

#[test]
fn a_work_report_opens_back_with_its_figures_sections_and_code() {
    let figures = vec![("存量线索".to_string(), "9".to_string()), ("清零率".into(), "55.6%".into())];
    let sections = vec![("一、基本情况".to_string(), "本院成立领导小组。\n每周调度。".to_string())];
    let sheet = ReportSheet {
        title: "市第一人民医院关于专项工作情况的报告",
        unit: "市第一人民医院",
        figures: &figures,
        figures_title: "主要数据",
        sections: &sections,
        signed: "单位主要负责人：王某某（电子签名 2026-12-07 10:00）",
        code: "核验码：7K3QD-9M2XA",
    };
    let (texts, fonts, page) = read_back(&report_docx(&sheet).unwrap());
    let at = |s: &str| texts.iter().position(|t| t == s).unwrap_or_else(|| panic!("{s} not in {texts:?}"));
    assert!(at("市第一人民医院关于专项工作情况的报告") < at("主要数据"));
    assert_eq!(&texts[at("存量线索")..at("存量线索") + 4], ["存量线索", "9", "清零率", "55.6%"]);
    assert!(at("一、基本情况") < at("\u{3000}\u{3000}本院成立领导小组。"), "each line of a section indented");
    assert!(texts.contains(&"\u{3000}\u{3000}每周调度。".to_string()));
    assert_eq!(texts.last().map(String::as_str), Some("核验码：7K3QD-9M2XA"), "the code closes the document");
    assert!(fonts.iter().any(|f| f == "仿宋_GB2312"));
    assert_eq!(page, "11906");
}
