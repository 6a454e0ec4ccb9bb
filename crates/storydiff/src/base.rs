//! Which article of an event the others are compared with: the one rule `compare --by-event`
//! and `batch` choose an event's base by.
//!
//! The rule, in order:
//! 1. The base asked for, when the event has that article.
//! 2. The earliest *stated* publication time, when at least two members state one and one is
//!    strictly the earliest: a time given with the article (a feed line's `date`), else a web
//!    page's JSON-LD `datePublished`, `article:published_time` or `<time datetime>`, or a
//!    wire header's time and date ("15:51 01/03/00: …"). The first report of an event is the
//!    one the others can have taken from.
//! 3. Else the wire-like article the others derive from: among the members that look like
//!    agency copy (an agency end code, a wire header, or an agency credit in the dateline,
//!    "MOSCOW, Jan 14 (KUNA) -"), or among all members when none does, the one whose
//!    sentences the other members carry most (the mean share of its sentences linked in
//!    each other member); ties go to the earlier input.
//!
//! The output says which rule chose the base and why.

use crate::model::{Article, BoilerplateKind};

/// The base of one event and the reason, for the output.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BaseChoice {
    /// Its index among the members.
    #[serde(skip)]
    pub index: usize,
    /// Label of the base.
    pub label: String,
    /// `asked`, `earliest-date` or `derived-from`.
    pub rule: &'static str,
    /// One line saying why, with the numbers.
    pub reason: String,
}

/// Choose the base among `members` ([module docs](self)); `dates[k]`, when given, is the
/// publication time stated with member `k` (ISO 8601, as a feed line's `date`), which comes
/// before what its text states.
pub fn choose(
    members: &[Article],
    asked: Option<&str>,
    dates: &[Option<&str>],
    thresholds: &crate::align::Thresholds,
) -> BaseChoice {
    if let Some(k) = asked.and_then(|a| members.iter().position(|m| m.label == a)) {
        return BaseChoice {
            index: k,
            label: members[k].label.clone(),
            rule: "asked",
            reason: "the base asked for".into(),
        };
    }
    let dated: Vec<(usize, i64, String)> = members
        .iter()
        .enumerate()
        .filter_map(|(k, a)| {
            let given = dates
                .get(k)
                .copied()
                .flatten()
                .and_then(|d| parse_iso(d).map(|t| (t, d.to_string())));
            given
                .or_else(|| stated_time(a))
                .map(|(t, shown)| (k, t, shown))
        })
        .collect();
    if dated.len() >= 2 {
        let earliest = dated.iter().map(|d| d.1).min().unwrap_or(0);
        let first: Vec<&(usize, i64, String)> = dated.iter().filter(|d| d.1 == earliest).collect();
        if let [only] = first.as_slice() {
            let others: Vec<String> = dated
                .iter()
                .filter(|d| d.0 != only.0)
                .map(|d| format!("{} {}", members[d.0].label, d.2))
                .collect();
            return BaseChoice {
                index: only.0,
                label: members[only.0].label.clone(),
                rule: "earliest-date",
                reason: format!(
                    "the earliest stated publication time ({}; {})",
                    only.2,
                    others.join(", ")
                ),
            };
        }
    }
    // How much of each member's text every other member carries.
    let n = members.len();
    let engine = crate::engine::Engine::builder()
        .thresholds(*thresholds)
        .build();
    let mut carried = vec![vec![0.0f64; n]; n];
    for i in 0..n {
        for j in i + 1..n {
            // The lexical engine cannot fail on built articles: no model to run.
            let Ok(c) = engine.pair(&members[i], &members[j]) else {
                continue;
            };
            let share = |linked: usize, of: &Article| {
                if of.sentences.is_empty() {
                    0.0
                } else {
                    linked as f64 / of.sentences.len() as f64
                }
            };
            let base_linked: usize = c.links.iter().map(|l| l.base.len()).sum();
            let other_linked: usize = c.links.iter().map(|l| l.other.len()).sum();
            carried[i][j] = share(base_linked, &members[i]);
            carried[j][i] = share(other_linked, &members[j]);
        }
    }
    let wire: Vec<usize> = (0..n)
        .filter(|&k| wire_like(&members[k]).is_some())
        .collect();
    let pool: Vec<usize> = if wire.is_empty() {
        (0..n).collect()
    } else {
        wire.clone()
    };
    let mean = |k: usize| -> f64 {
        if n < 2 {
            return 0.0;
        }
        carried[k].iter().sum::<f64>() / (n - 1) as f64
    };
    let best = pool
        .iter()
        .copied()
        .fold(None::<usize>, |b, k| match b {
            Some(b) if mean(b) >= mean(k) => Some(b),
            _ => Some(k),
        })
        .unwrap_or(0);
    let why_wire = match wire_like(&members[best]) {
        Some(w) if wire.len() == 1 => format!("the only wire-like article ({w}), and "),
        Some(w) => format!(
            "wire-like ({w}), and of the {} wire-like articles ",
            wire.len()
        ),
        None => "no article looks like agency copy; ".to_string(),
    };
    let per: Vec<String> = (0..n)
        .filter(|&k| k != best)
        .map(|k| {
            format!(
                "{} carries {:.0}%",
                members[k].label,
                carried[best][k] * 100.0
            )
        })
        .collect();
    BaseChoice {
        index: best,
        label: members[best].label.clone(),
        rule: "derived-from",
        reason: format!(
            "{why_wire}the one whose sentences the others carry most (on average {:.0}% of them: {}); no two members state a publication time{}",
            mean(best) * 100.0,
            per.join(", "),
            if dated.len() >= 2 { " that is strictly earliest" } else { "" }
        ),
    }
}

/// Why an article looks like agency copy, if it does.
fn wire_like(a: &Article) -> Option<&'static str> {
    if a.boilerplate
        .iter()
        .any(|b| b.kind == BoilerplateKind::EndCode)
    {
        return Some("agency end code");
    }
    if a.boilerplate
        .iter()
        .any(|b| b.kind == BoilerplateKind::Slug)
    {
        return Some("wire header");
    }
    let lead = a.sentences.first().map(|s| s.text.as_str()).unwrap_or("");
    let lead = if lead.len() < 40 {
        // A headline first: the dateline opens the next sentence.
        a.sentences.get(1).map(|s| s.text.as_str()).unwrap_or("")
    } else {
        lead
    };
    dateline_agency(lead).then_some("agency dateline")
}

/// "MOSCOW, Jan 14 (KUNA) --": a place in capitals, a comma, and an agency code in
/// parentheses within the first words.
fn dateline_agency(lead: &str) -> bool {
    let head: String = lead.chars().take(60).collect();
    let Some((place, rest)) = head.split_once(',') else {
        return false;
    };
    let place_ok = place.chars().any(char::is_alphabetic)
        && place
            .chars()
            .all(|c| !c.is_alphabetic() || c.is_uppercase());
    let Some(open) = rest.find('(') else {
        return false;
    };
    let code: String = rest[open + 1..].chars().take_while(|&c| c != ')').collect();
    place_ok
        && (2..=8).contains(&code.chars().count())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '/' || c == '-')
}

/// The publication time an article states, as minutes since 1970 and as written: a web
/// page's (from its note) or a wire header's.
fn stated_time(a: &Article) -> Option<(i64, String)> {
    for n in &a.notes {
        if let Some(rest) = n.split_once(", published ").map(|x| x.1).or_else(|| {
            n.strip_prefix("read as HTML: published ")
                .or_else(|| n.split_once(": published ").map(|x| x.1))
        }) {
            let stamp: String = rest
                .chars()
                .take_while(|&c| c != ',' && c != ';' && c != ' ')
                .collect();
            if let Some(t) = parse_iso(&stamp) {
                return Some((t, stamp));
            }
        }
    }
    a.boilerplate
        .iter()
        .filter(|b| b.kind == BoilerplateKind::Slug)
        .find_map(|b| {
            let mut w = b.text.split_whitespace();
            let (time, date) = (w.next()?, w.next()?.trim_end_matches(':'));
            parse_slug(time, date).map(|t| (t, format!("{time} {date}")))
        })
}

/// `2022-01-14`, `2022-01-14T10:05`, `2022-01-14T10:05:00.000+02:00`, `…Z`: minutes since
/// 1970 in UTC (a date alone is its midnight, no zone is UTC).
fn parse_iso(s: &str) -> Option<i64> {
    let num = |t: &str| -> Option<i64> {
        (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    // The date by the rule a feed line's "date" is checked by.
    let (y, m, d) = crate::ingest::iso_date(date).filter(|_| date.len() == 10)?;
    let mut minutes = crate::ingest::day_number(y, i64::from(m), i64::from(d)) * 1440;
    if let Some(t) = time {
        let (clock, zone) = match t.find(['Z', '+', '-']) {
            Some(i) => (&t[..i], &t[i..]),
            None => (t, ""),
        };
        let mut c = clock.split(':');
        let (h, mi) = (num(c.next()?)?, num(c.next()?)?);
        if h > 23 || mi > 59 {
            return None;
        }
        minutes += h * 60 + mi;
        if let Some(off) = zone.strip_prefix(['+', '-']) {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let off = off.replace(':', "");
            let (oh, om) = (num(off.get(..2)?)?, num(off.get(2..4).unwrap_or("00"))?);
            minutes -= sign * (oh * 60 + om);
        }
    }
    Some(minutes)
}

/// A wire header's `15:51` and `01/03/00` (day/month/year, two-digit years from 1970).
fn parse_slug(time: &str, date: &str) -> Option<i64> {
    let (h, m) = time.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    let mut p = date.split('/');
    let (d, mo, y): (i64, i64, i64) = (
        p.next()?.parse().ok()?,
        p.next()?.parse().ok()?,
        p.next()?.parse().ok()?,
    );
    let y = match y {
        0..=69 => 2000 + y,
        70..=99 => 1900 + y,
        y => y,
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || m > 59 {
        return None;
    }
    Some(crate::ingest::day_number(y, mo, d) * 1440 + h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(label: &str, text: &str) -> Article {
        crate::build_article(
            crate::ingest::RawArticle {
                label: label.into(),
                path: format!("{label}.txt"),
                text: text.into(),
            },
            false,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn times_parse_to_utc_minutes() {
        assert_eq!(parse_iso("1970-01-02"), Some(1440));
        assert_eq!(
            parse_iso("2026-03-04T07:12:00+02:00"),
            parse_iso("2026-03-04T05:12Z")
        );
        assert!(parse_iso("2026-03-04T09:30:00Z") > parse_iso("2026-03-04T07:12:00+02:00"));
        assert_eq!(parse_iso("March 4"), None);
        assert_eq!(parse_slug("00:01", "01/01/70"), Some(1));
        assert!(parse_slug("15:51", "01/03/00") > parse_slug("23:00", "29/02/00"));
    }

    #[test]
    fn the_earliest_wire_header_is_the_base() {
        let late = article(
            "late",
            "16:10 01/03/00: Page 2 (HHH) COURTS Diver\nA diver was hurt at the pool today, police said.\n",
        );
        let early = article(
            "early",
            "15:51 01/03/00: Page 1 (HHH) COURTS Diver\nA diver was hurt at the pool, police said.\n",
        );
        let c = choose(&[late, early], None, &[], &Default::default());
        assert_eq!((c.label.as_str(), c.rule), ("early", "earliest-date"));
        assert!(
            c.reason.contains("15:51 01/03/00; late 16:10 01/03/00"),
            "{}",
            c.reason
        );
    }

    #[test]
    fn without_dates_the_wire_the_others_carry_is_the_base() {
        let wire = "Lavrov met Blinken in Geneva on Friday. Talks lasted two hours. Both sides called them useful.";
        let site = article(
            "site",
            &format!("Oil prices rose. {wire} Analysts were not surprised. Markets closed higher."),
        );
        let agency = article(
            "agency",
            &format!("GENEVA, Jan 21 (XNA) - {wire} (end) ab.cd"),
        );
        let c = choose(&[site, agency], None, &[], &Default::default());
        assert_eq!((c.label.as_str(), c.rule), ("agency", "derived-from"));
        assert!(
            c.reason
                .starts_with("the only wire-like article (agency end code)"),
            "{}",
            c.reason
        );
        assert!(dateline_agency("MOSCOW, Jan 14 (KUNA) -- Russia's"));
        assert!(!dateline_agency("Moscow, where it (the talks) went"));
    }
}
