//! Charts drawn on the server as SVG (no script, no chart library, no CDN). Each is an image
//! titled for screen readers; the page shows its data as a table beside it, and the tests read
//! the SVG back as XML.

use std::fmt::Write;

use domain::{dates::format_date, reporting::trend::MonthFigures};
use time::{Date, Duration};

const INK: &str = "#1d4f91";
const SECOND: &str = "#8fb3de";
const LATE: &str = "#b42318";
const AXIS: &str = "#888";

/// Escapes text for an SVG text node or attribute.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn open(svg: &mut String, id: &str, (w, h): (f64, f64), title: &str) {
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title" class="chart" id="{id}"><title id="{id}-title">{}</title>"#,
        esc(title)
    );
}

/// The labels the burn-down carries.
pub struct BurnDownLabels<'a> {
    pub title: &'a str,
    pub deadline: &'a str,
    pub forecast: &'a str,
}

/// The stock left week by week (a line), the clearance deadline (a red rule), and the forecast
/// from the last point to the day it reaches zero (dashed; cut where the chart ends).
pub fn burn_down(series: &[(Date, i64)], deadline: Date, zero_on: Option<Date>, l: &BurnDownLabels<'_>) -> String {
    const W: f64 = 600.0;
    const H: f64 = 240.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 40.0;
    let mut svg = String::new();
    let Some((first, _)) = series.first().copied() else { return svg };
    let (last, left_now) = series.last().copied().unwrap_or((first, 0));
    // The chart runs to the deadline, or to the forecast's zero when that is not far beyond.
    let end = zero_on.filter(|z| *z <= deadline + Duration::days(120)).map_or(deadline, |z| z.max(deadline)).max(last);
    let span = (end - first).whole_days().max(1) as f64;
    let top = series.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let x = |d: Date| LEFT + (d - first).whole_days() as f64 / span * (W - LEFT - RIGHT);
    let y = |n: f64| TOP + (1.0 - n / top) * (H - TOP - BOTTOM);
    open(&mut svg, "burn-down", (W, H), l.title);
    let base = H - BOTTOM;
    let _ = write!(
        svg,
        r#"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{AXIS}"/><line x1="{LEFT}" y1="{base}" x2="{}" y2="{base}" stroke="{AXIS}"/>"#,
        W - RIGHT
    );
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="end" font-size="11">{}</text><text x="{}" y="{base}" text-anchor="end" font-size="11">0</text><text x="{LEFT}" y="{}" font-size="11">{}</text>"#,
        LEFT - 4.0,
        TOP + 4.0,
        top as i64,
        LEFT - 4.0,
        base + 14.0,
        format_date(first)
    );
    let dx = x(deadline);
    let _ = write!(
        svg,
        r#"<line x1="{dx:.1}" y1="{TOP}" x2="{dx:.1}" y2="{base}" stroke="{LATE}" stroke-dasharray="4 3"/><text x="{:.1}" y="{}" text-anchor="end" font-size="11" fill="{LATE}">{} {}</text>"#,
        dx,
        base + 30.0,
        esc(l.deadline),
        format_date(deadline)
    );
    let points: Vec<String> = series.iter().map(|(d, n)| format!("{:.1},{:.1}", x(*d), y(*n as f64))).collect();
    let _ = write!(svg, r#"<polyline fill="none" stroke="{INK}" stroke-width="2" points="{}"/>"#, points.join(" "));
    if let Some(z) = zero_on.filter(|_| left_now > 0) {
        let (zx, zy) = if z <= end {
            (x(z), y(0.0))
        } else {
            let share = (end - last).whole_days() as f64 / (z - last).whole_days().max(1) as f64;
            (x(end), y(left_now as f64 * (1.0 - share)))
        };
        let _ = write!(
            svg,
            r#"<line class="forecast" x1="{:.1}" y1="{:.1}" x2="{zx:.1}" y2="{zy:.1}" stroke="{INK}" stroke-width="2" stroke-dasharray="6 4"><title>{}</title></line>"#,
            x(last),
            y(left_now as f64),
            esc(l.forecast)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One bar: its label, its length (of `max`), the text beside it, and whether it is marked late.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
    pub late: bool,
}

/// Horizontal bars, one a row, longest possible `max` (0: the largest value).
pub fn bars(id: &str, title: &str, rows: &[Bar], max: f64) -> String {
    const W: f64 = 600.0;
    const ROW: f64 = 22.0;
    const LABEL: f64 = 170.0;
    const TEXT: f64 = 70.0;
    let mut svg = String::new();
    if rows.is_empty() {
        return svg;
    }
    let h = ROW * rows.len() as f64 + 8.0;
    let max = if max > 0.0 { max } else { rows.iter().map(|r| r.value).fold(0.0, f64::max).max(1.0) };
    open(&mut svg, id, (W, h), title);
    for (i, r) in rows.iter().enumerate() {
        let top = 4.0 + ROW * i as f64;
        let len = (r.value.max(0.0) / max).min(1.0) * (W - LABEL - TEXT);
        let label: String = r.label.chars().take(12).collect();
        let _ = write!(
            svg,
            r#"<g class="bar"><title>{} {}</title><text x="{}" y="{:.1}" text-anchor="end" font-size="12">{}</text><rect x="{LABEL}" y="{:.1}" width="{len:.1}" height="{}" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="12">{}</text></g>"#,
            esc(&r.label),
            esc(&r.shown),
            LABEL - 6.0,
            top + 14.0,
            esc(&label),
            top + 3.0,
            ROW - 8.0,
            if r.late { LATE } else { INK },
            LABEL + len + 4.0,
            top + 14.0,
            esc(&r.shown)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Leads received and closed each month, as pairs of columns.
pub fn months(title: &str, (received, closed): (&str, &str), rows: &[MonthFigures]) -> String {
    const W: f64 = 600.0;
    const H: f64 = 220.0;
    const LEFT: f64 = 40.0;
    const TOP: f64 = 24.0;
    const BOTTOM: f64 = 28.0;
    let mut svg = String::new();
    if rows.is_empty() {
        return svg;
    }
    let top = rows.iter().map(|m| m.received.max(m.closed)).max().unwrap_or(0).max(1) as f64;
    let slot = (W - LEFT - 8.0) / rows.len() as f64;
    let bar = (slot * 0.35).min(28.0);
    let base = H - BOTTOM;
    let y = |n: i64| base - n as f64 / top * (base - TOP);
    open(&mut svg, "trend", (W, H), title);
    let _ = write!(
        svg,
        r#"<line x1="{LEFT}" y1="{base}" x2="{}" y2="{base}" stroke="{AXIS}"/><text x="{}" y="{}" text-anchor="end" font-size="11">{}</text><rect x="{LEFT}" y="4" width="10" height="10" fill="{INK}"/><text x="{}" y="13" font-size="11">{}</text><rect x="{}" y="4" width="10" height="10" fill="{SECOND}"/><text x="{}" y="13" font-size="11">{}</text>"#,
        W - 8.0,
        LEFT - 4.0,
        TOP + 4.0,
        top as i64,
        LEFT + 14.0,
        esc(received),
        LEFT + 110.0,
        LEFT + 124.0,
        esc(closed)
    );
    for (i, m) in rows.iter().enumerate() {
        let x0 = LEFT + slot * i as f64 + (slot - 2.0 * bar) / 2.0;
        let _ = write!(
            svg,
            r#"<g class="month"><title>{} {} {} {} {}</title><rect x="{x0:.1}" y="{:.1}" width="{bar:.1}" height="{:.1}" fill="{INK}"/><rect x="{:.1}" y="{:.1}" width="{bar:.1}" height="{:.1}" fill="{SECOND}"/><text x="{:.1}" y="{}" text-anchor="middle" font-size="11">{}</text></g>"#,
            esc(&m.month),
            esc(received),
            m.received,
            esc(closed),
            m.closed,
            y(m.received),
            base - y(m.received),
            x0 + bar,
            y(m.closed),
            base - y(m.closed),
            x0 + bar,
            base + 16.0,
            esc(&m.month)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn each_chart_is_a_titled_image_that_escapes_its_text() {
        let series = [(date!(2019 - 08 - 01), 10), (date!(2019 - 08 - 08), 8), (date!(2019 - 08 - 15), 6)];
        let l = BurnDownLabels { title: "清零进度 <甲>", deadline: "清零时限", forecast: "按近4周进度" };
        let svg = burn_down(&series, date!(2019 - 09 - 30), Some(date!(2019 - 09 - 05)), &l);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title id=\"burn-down-title\">清零进度 &lt;甲&gt;</title>"), "escaped");
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(svg.contains("class=\"forecast\""), "the forecast");
        assert!(svg.contains("2019-09-30"), "the deadline's day");
        assert!(!burn_down(&series[..1], date!(2019 - 09 - 30), None, &l).contains("forecast"), "no pace, no line");
        assert!(burn_down(&[], date!(2019 - 09 - 30), None, &l).is_empty());
        let b = |label: &str, value: f64| Bar { label: label.into(), value, shown: format!("{value}"), late: false };
        let svg = bars("rank", "排名", &[b("甲 & 乙", 2.0), b("丙", 1.0)], 0.0);
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(
            svg.contains("甲 &amp; 乙") && svg.contains("width=\"360.0\""),
            "the longest bar fills the width: {svg}"
        );
        let m = |month: &str, received, closed| MonthFigures { month: month.into(), received, closed };
        let svg = months("趋势", ("受理", "办结"), &[m("2019-08", 4, 0), m("2019-09", 2, 2)]);
        assert_eq!(svg.matches("class=\"month\"").count(), 2);
        assert!(svg.contains(r#"height="0.0""#), "nothing closed in August draws nothing");
    }
}
