//! The demo's libraries and warning education, made through the use cases: two typical cases
//! (one published, one draft), a published and a draft good practice, and an education event
//! that used the published case.

use domain::oversight::library::{CaseInput, EducationInput, PracticeInput};
use time::Duration;

use super::PASSWORD;
use crate::{App, AppError, Credentials, LoginKind};

pub(super) async fn seed_library(app: &App) -> Result<(), AppError> {
    let who = |name: &'static str| Credentials { username: name, password: PASSWORD, otp: None, client: "demo" };
    let supervisor = app.protection().login(&who("supervisor"), LoginKind::Browser).await?.actor;
    let inspector = app.protection().login(&who("inspector"), LoginKind::Browser).await?.actor;
    let inspector2 = app.protection().login(&who("inspector2"), LoginKind::Browser).await?.actor;
    let day = |ago: i64| domain::dates::format_date(app.today() - Duration::days(ago));
    let o = app.oversight();
    let published = CaseInput {
        title: "某医院设备科负责人在设备采购中收受回扣案".into(),
        category: "gang_corruption".into(),
        lead: String::new(),
        text: "某医院设备科负责人利用负责医疗设备采购的职务便利，多次收受供应商所送回扣，并为其中标提供帮助。经查，其还为当地涉恶团伙承揽医院工程牵线搭桥。".into(),
        lessons: "采购权力过于集中、验收与采购不分离，是问题长期未被发现的主要原因；须以制度分权、以轮岗防腐。".into(),
        publish: true,
    };
    let case = o.add_typical_case(&supervisor, &published).await?;
    let draft = CaseInput {
        title: "某卫生院院长为亲属承揽工程充当“保护伞”案".into(),
        category: "protective_umbrella".into(),
        text: "某卫生院院长利用职权干预院内工程招标，为其亲属控制的施工队承揽工程提供便利。".into(),
        lessons: "“一把手”干预工程须列为日常监督重点。".into(),
        publish: false,
        ..Default::default()
    };
    o.add_typical_case(&supervisor, &draft).await?;
    let practice = PracticeInput {
        unit_id: inspector.unit_id.to_string(),
        title: "设备采购“双人询价、三方验收”".into(),
        practised_on: day(40),
        text: "设备采购询价由采购中心和使用科室两人共同完成并签字；验收由使用科室、设备科和纪检监察室三方共同进行。"
            .into(),
        publish: true,
    };
    o.add_good_practice(&inspector, &practice).await?;
    let draft_practice = PracticeInput {
        unit_id: inspector2.unit_id.to_string(),
        title: "红包登记上交“零报告”".into(),
        practised_on: day(25),
        text: "各科室每月报告收受红包及登记上交情况，无情况的报告“零”。".into(),
        publish: false,
    };
    o.add_good_practice(&inspector2, &draft_practice).await?;
    let event = EducationInput {
        unit_id: inspector.unit_id.to_string(),
        held_on: day(10),
        form: "case_talk".into(),
        attendance: "86".into(),
        case: case.to_string(),
    };
    o.record_education(&inspector, &event).await?;
    Ok(())
}
