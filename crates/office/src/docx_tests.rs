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
