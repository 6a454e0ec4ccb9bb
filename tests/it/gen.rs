//! A structured generator of hostile but realistic news text, shared by the fuzz tests
//! (`tests/it/fuzz.rs`) and the long campaign (`benches/fuzz.rs`, which includes this file by
//! path). It depends on proptest and std only.
//!
//! One case is two or three articles on one event. The first is built from realistic
//! pieces: named-source sentences followed by pronoun sentences ("…, Lavrov said." then "He
//! said …"), quotes with curly, straight or missing marks, abbreviations, decimals, dates,
//! datelines, headlines without a full stop, boilerplate lines, Cyrillic, Arabic and CJK text,
//! and noise dropped inside sentences (combining marks, zero-width and bidi controls, C0 and
//! C1 controls, odd line breaks, very long words). The others copy its paragraphs verbatim,
//! edit them (source changed or dropped, reporting verb, numbers, hedges, quote marks,
//! sentences dropped, swapped or glued), reorder them and add their own, so that links and
//! findings actually happen. Everything is a proptest value tree, so a failing case shrinks.

use std::fmt;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};

/// One generated input: the article texts (labelled `a`, `b`, `c` in order) and how to
/// compare them.
#[derive(Clone)]
pub struct Case {
    /// Two or three article texts.
    pub articles: Vec<String>,
    /// Compare every pair instead of each with the base.
    pub all_pairs: bool,
    /// Index of the base article, when not the first.
    pub base: Option<usize>,
    /// Terminal width for the terminal format.
    pub width: usize,
}

impl Case {
    /// The label of article `k`: `a`, `b`, `c`, … (the binary gets files `a.txt`, …).
    pub fn label(k: usize) -> String {
        char::from(b'a' + (k % 26) as u8).to_string()
    }
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Case {{ all_pairs: {}, base: {:?}, width: {} }}",
            self.all_pairs, self.base, self.width
        )?;
        for (k, a) in self.articles.iter().enumerate() {
            writeln!(f, "--- {} ({} bytes) ---", Case::label(k), a.len())?;
            writeln!(f, "{a:?}")?;
        }
        Ok(())
    }
}

const SOURCES: &[&str] = &[
    "Lavrov",
    "Lavrov",
    "Sergei Lavrov",
    "Sergey Lavrov",
    "Foreign Minister Sergei Lavrov",
    "Russia\u{2019}s Foreign Minister Sergey Lavrov",
    "Russian Foreign Minister Sergei Lavrov",
    "Kremlin spokesman Dmitry Peskov",
    "Peskov",
    "Blinken",
    "U.S. Secretary of State Antony Blinken",
    "Stoltenberg",
    "NATO Secretary General Jens Stoltenberg",
    "Ryabkov",
    "Riabkov",
    "Deputy Foreign Minister Sergei Ryabkov",
    "TASS",
    "Reuters",
    "RIA Novosti",
    "the minister",
    "a senior U.S. official",
    "Dr. Anna Ivanova",
    "Mr. O\u{2019}Brien",
    "Лавров",
    "Сергей Лавров",
    "لافروف",
    "拉夫罗夫",
    "Zoë Müller-Łukasiewicz",
];

const SUBJECTS: &[&str] = &[
    "the ministers",
    "the talks on the missile treaty",
    "Russia",
    "Moscow",
    "the U.S. delegation",
    "NATO",
    "Washington",
    "the Kremlin",
    "the alliance",
    "Russia\u{2019}s proposals",
    "Russia's proposals",
    "the written answers",
    "Dr. Anna Ivanova of St. Petersburg",
    "the U.S. and the U.K.",
    "gas prices",
];

const PREDICATES: &[&str] = &[
    "met for a long time on Monday in Geneva and then talked",
    "would resume",
    "had been postponed",
    "rejected the proposals on security guarantees",
    "will not wait forever",
    "could cut gas supplies",
    "was waiting for written answers",
    "agreed to meet again",
    "rose",
    "fell",
    "would not dictate terms to anyone",
    "sent 10,000 troops to the border",
    "demanded guarantees that NATO would not expand eastward",
];

const TAILS: &[&str] = &[
    " in March",
    " on Monday",
    " on Friday",
    " on Jan. 14",
    " on Jan 14",
    " next week",
    " at 10:30 a.m.",
    " on 14.01.2022",
    " in 2022",
    " by the end of the year",
    " after the talks in Geneva",
    " with the U.S.",
    " (and the EU)",
    " \u{2014} for now",
    " etc.",
];

const PLACES: &[&str] = &[
    "Geneva",
    "Moscow",
    "Brussels",
    "Vienna",
    "Kyiv",
    "Kiev",
    "St. Petersburg",
    "Washington, D.C.",
    "Москве",
    "جنيف",
    "日内瓦",
];

const MONTHS: &[&str] = &[
    "January", "Jan.", "Jan", "February", "Feb.", "March", "December", "Dec.",
];

const VERBS: &[&str] = &[
    "said", "said", "said", "said", "claimed", "insisted", "stressed", "noted", "admitted",
    "warned",
];

const PRONOUNS: &[&str] = &["He", "He", "She", "They", "It"];

const FOREIGN: &[&str] = &[
    "Лавров заявил, что переговоры возобновятся в марте.",
    "По словам Лаврова, Россия не будет ждать вечно.",
    "قال لافروف إن المحادثات ستستأنف في مارس.",
    "وأضاف أن روسيا لن تنتظر إلى الأبد.",
    "拉夫罗夫说，会谈将于三月恢复。",
    "俄罗斯不会永远等待。北约必须回答。",
    "ラブロフ外相は「ロシアは永遠には待たない」と述べた。",
    "라브로프 장관은 회담이 3월에 재개될 것이라고 말했다.",
    "Lavrov a declarat că negocierile vor fi reluate în martie.",
    "Der Außenminister sagte: \u{201e}Wir warten nicht ewig.\u{201c}",
    "Le ministre a déclaré : « Nous n\u{2019}attendrons pas éternellement. »",
];

const RAW: &[&str] = &[
    "The U.S. and the U.K. said Dr. Smith of St. Petersburg arrived on Jan. 14 at 3 p.m. local time.",
    "Oil rose 3.5% to $78.20 a barrel, the highest since Nov. 2014, i.e. in seven years.",
    "The vote was 1,200 to 1.200, or 12 000 \u{2013} 3\u{bd} per cent.",
    "negotiations.Lavrov said the talks would resume.It was late.",
    "He said... nothing. Then: \u{2026} more.",
    "\u{201c}Unbalanced quote starts here and never ends.",
    "Lavrov said: \"We will not wait forever.",
    "\u{201d}Closing first,\u{201c} he said.",
    "'Single quotes,' she said, 'are also quotes.'",
    "\"\"\"\" said Lavrov.",
    "Lavrov said, Lavrov said, Lavrov said, Lavrov said.",
    "See https://www.example.com/news/2022/01/14/lavrov-geneva.html?id=3.5&x=1 for more.",
    "Mr. Lavrov (Russia) and Ms. Psaki (U.S.) met at No. 10 vs. No. 5, approx. 2 km away.",
    "🇷🇺🇺🇸 👍🏽 talks ended.",
    "A.B.C.D.E.F. G.H.",
    "?!?!... !!!",
    "1.",
    "Lavrov\u{200b}said\u{200b}the\u{200b}talks\u{200b}would\u{200b}resume.",
    "\u{202e}Lavrov said the talks would resume.\u{202c}",
    "\u{2067}قال لافروف\u{2069} the talks would resume.",
    "Peskov said <script>alert(1)</script> & *bold* _it_ [x](y) `code` # no.",
];

const NOISE: &[&str] = &[
    "\u{200b}",
    "\u{202e}",
    "\u{2066}",
    "\u{2069}",
    "\u{200f}",
    "\u{feff}",
    "\u{ad}",
    "\u{301}",
    "e\u{301}",
    "\u{a0}",
    "\t",
    "\u{1b}[31m",
    "\u{1b}]0;title\u{7}",
    "\u{7}",
    "\u{8}",
    "\u{b}",
    "\u{c}",
    "\u{9b}2J",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\r",
    "\r\n",
    "\n",
    "  ",
    "Лавров",
    "لافروف",
    "拉夫罗夫",
    "👍🏽",
    "U.S.",
    "Dr.",
    "Jan.",
    "3.5%",
    "$1.2bn",
    "e.g.",
    "...",
    "\u{2014}",
    "'",
    "\"",
    "\u{201c}",
    "\u{201d}",
    "\u{2019}s",
    "«",
    ". ",
    ".",
];

const JOINERS: &[&str] = &[
    " ",
    " ",
    " ",
    " ",
    " ",
    " ",
    "  ",
    "\u{a0}",
    "\t",
    " \u{200b}",
    "\n",
    "\u{2028}",
];

const SEPARATORS: &[&str] = &[
    "\n\n",
    "\n\n",
    "\n",
    "\r\n",
    "\r\n\r\n",
    "\r",
    "\u{2028}",
    "\u{2029}",
    "\n \n",
    "\n\n\n",
    " \r\n\t\r\n",
];

const BOILERPLATE: &[&str] = &[
    "Photo: Reuters",
    "Photo: Reuters/Evgenia Novozhenina",
    "Read also: Lavrov: Russia will not wait forever for NATO answers",
    "Read also: ...",
    "Related: NATO-Russia Council meets in Brussels",
    "Share",
    "Print",
    "A+ A-",
    "(end) as.hm",
    "(ends)",
    "By Elena Teslova",
    "Editor: Mark Smith",
    "Source Link",
    "Credit | AA",
    "Sign up for our newsletter",
    "Subscribe to our newsletter to get the latest news",
    "15:51 01/03/00: Page 1 (HHH) COURTS Diver",
    "-----",
    "Foreign Minister Sergei Lavrov -EPA",
    "\u{a9} 2022 Reuters. All rights reserved.",
];

const DATELINE_CITIES: &[&str] = &[
    "MOSCOW",
    "GENEVA",
    "WASHINGTON",
    "BRUSSELS",
    "Moscow",
    "KUWAIT",
];
const AGENCIES: &[&str] = &["KUNA", "Reuters", "AA", "Xinhua", "EPA", "AFP"];
const DASHES: &[&str] = &["--", "-", "\u{2013}", "\u{2014}"];

/// How a sentence is put together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// "Clause, Source said."
    SaidAfter,
    /// "Source said clause."
    SaidBefore,
    /// "Source told reporters on Monday that clause."
    ToldThat,
    /// "Clause, according to Source."
    According,
    /// "“Clause,” Source said."
    QuoteAfter,
    /// "Source said: “Clause.”"
    QuoteBefore,
    /// "He said clause."
    Pronoun,
    /// "He also said on Friday that clause."
    PronounAlso,
    /// "“Clause,” he said."
    PronounQuote,
    /// "Clause."
    Plain,
    /// A whole sentence taken as it is (foreign or hostile text).
    Raw,
}

/// Quote marks around a quoted clause.
#[derive(Clone, Copy, Debug)]
enum Quote {
    Curly,
    Straight,
    Single,
    Guillemets,
    LowHigh,
    OpenOnly,
    CloseOnly,
    Reversed,
}

impl Quote {
    fn marks(self) -> (&'static str, &'static str) {
        match self {
            Quote::Curly => ("\u{201c}", "\u{201d}"),
            Quote::Straight => ("\"", "\""),
            Quote::Single => ("\u{2018}", "\u{2019}"),
            Quote::Guillemets => ("«", "»"),
            Quote::LowHigh => ("\u{201e}", "\u{201c}"),
            Quote::OpenOnly => ("\u{201c}", ""),
            Quote::CloseOnly => ("", "\""),
            Quote::Reversed => ("\u{201d}", "\u{201c}"),
        }
    }
}

#[derive(Clone, Debug)]
struct Sent {
    form: Form,
    source: String,
    pronoun: &'static str,
    verb: &'static str,
    clause: String,
    quote: Quote,
    end: &'static str,
    /// Inserted at the character boundary the index picks, after rendering.
    noise: Vec<(Index, String)>,
    /// The joiner to the next sentence is dropped ("negotiations.Lavrov").
    glue: bool,
}

/// A paragraph: sentences and the white space between them.
#[derive(Clone, Debug)]
struct Para {
    sents: Vec<Sent>,
    joiners: Vec<&'static str>,
}

#[derive(Clone, Debug)]
enum Block {
    Body(Para),
    Boiler(String),
}

#[derive(Clone, Debug)]
struct ArticleSpec {
    headline: Option<String>,
    dateline: Option<String>,
    blocks: Vec<Block>,
    seps: Vec<&'static str>,
    leading: &'static str,
    trailing: &'static str,
}

#[derive(Clone, Debug)]
enum Edit {
    Source(&'static str),
    DropSource,
    Verb(&'static str),
    Number(u32),
    Tail(String),
    Hedge,
    Quote(Quote),
    End(&'static str),
    Noise(Index, String),
    Glue,
    Drop,
    SwapNext,
    Replace(Box<Sent>),
}

#[derive(Clone, Debug)]
enum DOp {
    /// Copy a body paragraph of the first article as it is.
    Copy(Index),
    /// Copy it with edits (each to the sentence the index picks).
    Edit(Index, Vec<(Index, Edit)>),
    /// A block of its own.
    New(Block),
}

#[derive(Clone, Debug)]
enum Headline {
    Same,
    Own(String),
    None,
}

#[derive(Clone, Debug)]
struct Derived {
    headline: Headline,
    dateline: Option<String>,
    ops: Vec<DOp>,
    seps: Vec<&'static str>,
    leading: &'static str,
    trailing: &'static str,
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn pick<T: Copy>(list: &[T], k: usize) -> T {
    list[k % list.len()]
}

fn render_sent(s: &Sent) -> String {
    let (open, close) = s.quote.marks();
    let c = &s.clause;
    let cc = capitalise(c);
    let src = &s.source;
    let (verb, end) = (s.verb, s.end);
    let lower = s.pronoun.to_lowercase();
    let mut out = match s.form {
        Form::SaidAfter => format!("{cc}, {src} {verb}{end}"),
        Form::SaidBefore => format!("{} {verb} {c}{end}", capitalise(src)),
        Form::ToldThat => format!("{} told reporters on Monday that {c}{end}", capitalise(src)),
        Form::According => format!("{cc}, according to {src}{end}"),
        Form::QuoteAfter => format!("{open}{cc},{close} {src} {verb}{end}"),
        Form::QuoteBefore => format!("{} {verb}: {open}{cc}{end}{close}", capitalise(src)),
        Form::Pronoun => format!("{} {verb} {c}{end}", s.pronoun),
        Form::PronounAlso => format!("{} also {verb} on Friday that {c}{end}", s.pronoun),
        Form::PronounQuote => format!("{open}{cc},{close} {lower} {verb}{end}"),
        Form::Plain => format!("{cc}{end}"),
        Form::Raw => c.clone(),
    };
    for (at, noise) in &s.noise {
        let bounds: Vec<usize> = out
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(out.len()))
            .collect();
        let pos = bounds[at.index(bounds.len())];
        out.insert_str(pos, noise);
    }
    out
}

fn render_para(p: &Para, out: &mut String) {
    for (k, s) in p.sents.iter().enumerate() {
        out.push_str(&render_sent(s));
        if k + 1 < p.sents.len() && !s.glue {
            out.push_str(pick(&p.joiners, k));
        }
    }
}

fn render_article(
    headline: Option<&str>,
    dateline: Option<&str>,
    blocks: &[Block],
    seps: &[&str],
    leading: &str,
    trailing: &str,
) -> String {
    let mut out = leading.to_string();
    let mut k = 0;
    if let Some(h) = headline {
        out.push_str(h);
        out.push_str(pick(seps, k));
        k += 1;
    }
    let mut dateline = dateline;
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push_str(pick(seps, k));
            k += 1;
        }
        match b {
            Block::Body(p) => {
                if let Some(d) = dateline.take() {
                    out.push_str(d);
                }
                render_para(p, &mut out);
            }
            Block::Boiler(t) => out.push_str(t),
        }
    }
    out.push_str(trailing);
    if out.trim().is_empty() {
        out.push_str("Lavrov said the talks would resume.");
    }
    out
}

fn apply_edits(p: &Para, edits: &[(Index, Edit)]) -> Para {
    let mut p = p.clone();
    for (at, e) in edits {
        if p.sents.is_empty() {
            break;
        }
        let k = at.index(p.sents.len());
        let s = &mut p.sents[k];
        match e {
            Edit::Source(src) => s.source = (*src).to_string(),
            Edit::DropSource => {
                if s.form != Form::Raw {
                    s.form = Form::Plain;
                }
            }
            Edit::Verb(v) => s.verb = v,
            Edit::Number(n) => {
                let c = &s.clause;
                match c.find(|ch: char| ch.is_ascii_digit()) {
                    Some(i) => {
                        let len = c[i..]
                            .find(|ch: char| !ch.is_ascii_digit())
                            .unwrap_or(c.len() - i);
                        s.clause.replace_range(i..i + len, &n.to_string());
                    }
                    None => s.clause.push_str(&format!(" by {n}%")),
                }
            }
            Edit::Tail(t) => s.clause.push_str(t),
            Edit::Hedge => match s.clause.find(' ') {
                Some(i) => s.clause.insert_str(i, " reportedly"),
                None => s.clause.insert_str(0, "reportedly "),
            },
            Edit::Quote(q) => s.quote = *q,
            Edit::End(e) => s.end = e,
            Edit::Noise(i, n) => s.noise.push((*i, n.clone())),
            Edit::Glue => s.glue = true,
            Edit::Drop => {
                p.sents.remove(k);
            }
            Edit::SwapNext => {
                if k + 1 < p.sents.len() {
                    p.sents.swap(k, k + 1);
                }
            }
            Edit::Replace(n) => *s = (**n).clone(),
        }
    }
    p
}

fn render_derived(base: &ArticleSpec, d: &Derived) -> String {
    let bodies: Vec<&Para> = base
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Body(p) => Some(p),
            Block::Boiler(_) => None,
        })
        .collect();
    let mut blocks = Vec::new();
    for op in &d.ops {
        match op {
            DOp::Copy(i) if !bodies.is_empty() => {
                blocks.push(Block::Body(bodies[i.index(bodies.len())].clone()))
            }
            DOp::Edit(i, edits) if !bodies.is_empty() => {
                let p = apply_edits(bodies[i.index(bodies.len())], edits);
                if !p.sents.is_empty() {
                    blocks.push(Block::Body(p));
                }
            }
            DOp::New(b) => blocks.push(b.clone()),
            _ => {}
        }
    }
    let headline = match &d.headline {
        Headline::Same => base.headline.as_deref(),
        Headline::Own(h) => Some(h.as_str()),
        Headline::None => None,
    };
    render_article(
        headline,
        d.dateline.as_deref(),
        &blocks,
        &d.seps,
        d.leading,
        d.trailing,
    )
}

// ---------------------------------------------------------------- strategies

fn s(list: &'static [&'static str]) -> BoxedStrategy<String> {
    select(list).prop_map(str::to_string).boxed()
}

fn tail() -> BoxedStrategy<String> {
    prop_oneof![
        4 => s(TAILS),
        2 => (1u32..32, select(MONTHS), 1990u32..2030)
            .prop_map(|(d, m, y)| format!(" on {d} {m} {y}")),
        2 => (0u32..100, 0u32..10).prop_map(|(a, b)| format!(" by {a}.{b}%")),
        1 => (1u32..20_000).prop_map(|n| format!(" with {n} troops")),
        1 => (1u32..999, 0u32..1000).prop_map(|(a, b)| format!(" to {a},{b:03} barrels")),
        1 => (0u32..24, 0u32..60).prop_map(|(h, m)| format!(" at {h}:{m:02} GMT")),
        2 => s(PLACES).prop_map(|p| format!(" in {p}")),
    ]
    .boxed()
}

fn clause() -> BoxedStrategy<String> {
    (select(SUBJECTS), select(PREDICATES), vec(tail(), 0..3))
        .prop_map(|(s, p, t)| format!("{s} {p}{}", t.concat()))
        .boxed()
}

fn quote() -> BoxedStrategy<Quote> {
    prop_oneof![
        6 => Just(Quote::Curly),
        4 => Just(Quote::Straight),
        1 => Just(Quote::Single),
        1 => Just(Quote::Guillemets),
        1 => Just(Quote::LowHigh),
        1 => Just(Quote::OpenOnly),
        1 => Just(Quote::CloseOnly),
        1 => Just(Quote::Reversed),
    ]
    .boxed()
}

fn end() -> BoxedStrategy<&'static str> {
    prop_oneof![
        12 => Just("."),
        1 => Just("!"),
        1 => Just("?"),
        1 => Just("..."),
        1 => Just("\u{2026}"),
        1 => Just(""),
        1 => Just(".."),
        1 => Just(" ."),
    ]
    .boxed()
}

fn noise_atom() -> BoxedStrategy<String> {
    prop_oneof![
        8 => s(NOISE),
        1 => "[a-zA-Z]{60,400}",
        1 => (1usize..80).prop_map(|n| "Lavrov".repeat(n)),
        1 => "[0-9]{15,40}",
        1 => "[\u{300}-\u{36f}]{1,20}",
    ]
    .boxed()
}

fn noise() -> BoxedStrategy<Vec<(Index, String)>> {
    prop_oneof![
        4 => Just(Vec::new()),
        1 => vec((any::<Index>(), noise_atom()), 1..4),
    ]
    .boxed()
}

fn sent_of(forms: &'static [Form]) -> BoxedStrategy<Sent> {
    (
        select(forms),
        s(SOURCES),
        select(PRONOUNS),
        select(VERBS),
        clause(),
        quote(),
        end(),
        noise(),
        prop::bool::weighted(0.08),
    )
        .prop_map(
            |(form, source, pronoun, verb, clause, quote, end, noise, glue)| Sent {
                form,
                source,
                pronoun,
                verb,
                clause,
                quote,
                end,
                noise,
                glue,
            },
        )
        .boxed()
}

fn named() -> BoxedStrategy<Sent> {
    sent_of(&[
        Form::SaidAfter,
        Form::SaidAfter,
        Form::SaidBefore,
        Form::ToldThat,
        Form::According,
        Form::QuoteAfter,
        Form::QuoteBefore,
    ])
}

fn pronoun() -> BoxedStrategy<Sent> {
    sent_of(&[
        Form::Pronoun,
        Form::Pronoun,
        Form::PronounAlso,
        Form::PronounQuote,
    ])
}

fn raw_text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => s(RAW),
        3 => s(FOREIGN),
        1 => vec(clause(), 5..30).prop_map(|v| v.join(", ")),
        1 => "[a-z]{300,3000}",
        1 => vec(
            prop_oneof![
                s(NOISE),
                s(SOURCES),
                Just("said".to_string()),
                Just(" ".to_string()),
                "[a-zA-Z]{1,8}",
                "[0-9,.%]{1,6}",
                "[!?;:()\u{2019}\u{201c}\u{201d}\u{2014}-]",
            ],
            1..30,
        )
        .prop_map(|v| v.concat()),
    ]
    .boxed()
}

fn raw() -> BoxedStrategy<Sent> {
    (sent_of(&[Form::Raw]), raw_text())
        .prop_map(|(mut s, t)| {
            s.clause = t;
            s
        })
        .boxed()
}

fn any_sent() -> BoxedStrategy<Sent> {
    prop_oneof![
        3 => named(),
        2 => pronoun(),
        2 => sent_of(&[Form::Plain]),
        1 => raw(),
    ]
    .boxed()
}

/// A few sentences that belong together: mostly a named source followed by pronoun
/// sentences.
fn unit() -> BoxedStrategy<Vec<Sent>> {
    prop_oneof![
        4 => (named(), vec(pronoun(), 1..3)).prop_map(|(n, mut p)| {
            p.insert(0, n);
            p
        }),
        2 => named().prop_map(|n| vec![n]),
        2 => sent_of(&[Form::Plain]).prop_map(|n| vec![n]),
        1 => raw().prop_map(|n| vec![n]),
        1 => pronoun().prop_map(|n| vec![n]),
    ]
    .boxed()
}

fn para() -> BoxedStrategy<Para> {
    (vec(unit(), 1..4), vec(select(JOINERS), 1..4))
        .prop_map(|(u, joiners)| Para {
            sents: u.concat(),
            joiners,
        })
        .boxed()
}

fn boiler() -> BoxedStrategy<String> {
    prop_oneof![
        6 => s(BOILERPLATE),
        1 => s(SOURCES).prop_map(|s| format!("Photo: {s}")),
        1 => clause().prop_map(|c| format!("Read also: {}", capitalise(&c))),
    ]
    .boxed()
}

fn block() -> BoxedStrategy<Block> {
    prop_oneof![
        5 => para().prop_map(Block::Body),
        1 => boiler().prop_map(Block::Boiler),
    ]
    .boxed()
}

fn headline() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (s(SOURCES), clause()).prop_map(|(s, c)| format!("{}: {}", capitalise(&s), capitalise(&c))),
        1 => clause().prop_map(|c| {
            c.split(' ').map(capitalise).collect::<Vec<_>>().join(" ")
        }),
        1 => clause().prop_map(|c| format!("{} \u{2013} TASS", capitalise(&c))),
        1 => clause().prop_map(|c| format!("BREAKING: {}", c.to_uppercase())),
        1 => s(FOREIGN).prop_map(|f| f.trim_end_matches(['.', '。']).to_string()),
    ]
    .boxed()
}

fn dateline() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (select(DATELINE_CITIES), select(MONTHS), 1u32..32, select(AGENCIES), select(DASHES))
            .prop_map(|(c, m, d, a, dash)| format!("{c}, {m} {d} ({a}) {dash} ")),
        1 => (select(DATELINE_CITIES), select(AGENCIES), select(DASHES))
            .prop_map(|(c, a, dash)| format!("{c} ({a}) {dash} ")),
        1 => Just("МОСКВА, 14 января. /ТАСС/. ".to_string()),
        1 => Just("Moscow, 14 January 2022 (AA) \u{2013} ".to_string()),
    ]
    .boxed()
}

fn edges() -> BoxedStrategy<(&'static str, &'static str)> {
    (
        prop_oneof![6 => Just(""), 1 => Just("\n\n"), 1 => Just("\u{feff}"), 1 => Just(" \t")],
        prop_oneof![3 => Just("\n"), 2 => Just(""), 1 => Just("\r\n"), 1 => Just("\n\n\n  ")],
    )
        .boxed()
}

fn article() -> BoxedStrategy<ArticleSpec> {
    (
        prop::option::weighted(0.7, headline()),
        prop::option::weighted(0.5, dateline()),
        para(),
        vec(block(), 0..6),
        vec(select(SEPARATORS), 1..4),
        edges(),
    )
        .prop_map(
            |(headline, dateline, first, mut blocks, seps, (leading, trailing))| {
                blocks.insert(0, Block::Body(first));
                ArticleSpec {
                    headline,
                    dateline,
                    blocks,
                    seps,
                    leading,
                    trailing,
                }
            },
        )
        .boxed()
}

fn edit() -> BoxedStrategy<Edit> {
    prop_oneof![
        2 => select(SOURCES).prop_map(Edit::Source),
        3 => Just(Edit::DropSource),
        2 => select(VERBS).prop_map(Edit::Verb),
        2 => (0u32..100_000).prop_map(Edit::Number),
        2 => tail().prop_map(Edit::Tail),
        2 => Just(Edit::Hedge),
        1 => quote().prop_map(Edit::Quote),
        1 => end().prop_map(Edit::End),
        1 => (any::<Index>(), noise_atom()).prop_map(|(i, n)| Edit::Noise(i, n)),
        1 => Just(Edit::Glue),
        2 => Just(Edit::Drop),
        1 => Just(Edit::SwapNext),
        1 => any_sent().prop_map(|s| Edit::Replace(Box::new(s))),
    ]
    .boxed()
}

fn dop() -> BoxedStrategy<DOp> {
    prop_oneof![
        3 => any::<Index>().prop_map(DOp::Copy),
        4 => (any::<Index>(), vec((any::<Index>(), edit()), 1..4)).prop_map(|(i, e)| DOp::Edit(i, e)),
        1 => block().prop_map(DOp::New),
    ]
    .boxed()
}

fn derived() -> BoxedStrategy<Derived> {
    (
        prop_oneof![
            2 => Just(Headline::Same),
            2 => headline().prop_map(Headline::Own),
            1 => Just(Headline::None),
        ],
        prop::option::weighted(0.5, dateline()),
        vec(dop(), 1..8),
        vec(select(SEPARATORS), 1..4),
        edges(),
    )
        .prop_map(
            |(headline, dateline, ops, seps, (leading, trailing))| Derived {
                headline,
                dateline,
                ops,
                seps,
                leading,
                trailing,
            },
        )
        .boxed()
}

/// Two or three articles on one event, the later ones copied and edited from the first.
pub fn case() -> BoxedStrategy<Case> {
    (
        article(),
        vec(derived(), 1..=2),
        prop::bool::weighted(0.3),
        prop::option::weighted(0.2, any::<Index>()),
        // The widths a user can ask for: `--width` refuses fewer than 20 columns.
        prop_oneof![3 => Just(80usize), 1 => 20usize..300],
    )
        .prop_map(|(base, ds, all_pairs, base_at, width)| {
            let mut articles = vec![render_article(
                base.headline.as_deref(),
                base.dateline.as_deref(),
                &base.blocks,
                &base.seps,
                base.leading,
                base.trailing,
            )];
            articles.extend(ds.iter().map(|d| render_derived(&base, d)));
            let n = articles.len();
            Case {
                articles,
                all_pairs,
                base: base_at.map(|i| i.index(n)),
                width,
            }
        })
        .boxed()
}
