//! Web input: HTML pages and Markdown files, read so that every offset stays an offset of the
//! file.
//!
//! Markup is *blanked*, not removed: the article text is the file with every byte of a tag,
//! comment, doctype, script or style replaced by a space (a block-level tag by a line break,
//! so paragraphs stay paragraphs), and a character reference (`&amp;`, `&#8217;`) replaced by
//! the character it stands for, padded with spaces on the side away from the word it touches.
//! The text has the file's length and every byte that is not blanked is the file's own byte,
//! so a sentence span or a piece of evidence is a byte range of the file as saved. A
//! reference glued to words on both sides ("AT&amp;T") is left as written, since padding
//! would split the word.
//!
//! Main content: when the page has an `<article>`, `<main>`, `role="main"` or
//! `itemprop="articleBody"` element, text outside it is site chrome (its `<h1>` excepted).
//! Inside or out, navigation, asides, footers, forms, captions, cookie banners, adverts,
//! share and related-story boxes are recognised by element name, `role`, and the words of
//! `class` and `id`, and their text is set aside as boilerplate of that kind. Title, byline,
//! date and site name come from `<meta>` tags and JSON-LD.
//!
//! Why hand-written: the readability ports (`dom_smoothie`, `readability`) build a new
//! document and keep no source positions, and html5ever's tokenizer reports lines, not bytes;
//! blanking needs only where each tag starts and ends, which this scanner knows exactly.

use crate::model::BoilerplateKind;

/// What a web input became: the blanked text, the chrome found in it, what the page says
/// about itself, and how much markup was set aside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blanked {
    /// The file with markup blanked: same length, same bytes elsewhere.
    pub text: String,
    /// Byte ranges of chrome text, with their kind, in order; each within one line.
    pub chrome: Vec<(usize, usize, BoilerplateKind)>,
    /// Byte ranges of the file that are markup (blanked), in order.
    pub markup: Vec<(usize, usize)>,
    /// Character references decoded in place.
    pub references: usize,
    /// Title, byline, date and site name, where the page states them.
    pub meta: PageMeta,
}

/// Metadata a web page states about its article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// Headline (`og:title`, JSON-LD `headline`, else `<title>`).
    pub title: Option<String>,
    /// Author(s) (`author`, `article:author`, JSON-LD `author`, else the visible byline).
    pub byline: Option<String>,
    /// Publication date-time as stated (`article:published_time`, JSON-LD `datePublished`,
    /// `<time datetime>`).
    pub date: Option<String>,
    /// The site (`og:site_name`, JSON-LD `publisher`).
    pub site: Option<String>,
    /// The page's canonical address (`<link rel="canonical">`, else `og:url`), when it is an
    /// http(s) URL.
    pub url: Option<String>,
}

impl Blanked {
    /// Bytes of markup set aside.
    pub fn markup_bytes(&self) -> usize {
        self.markup.iter().map(|(s, e)| e - s).sum()
    }

    /// One line for the article's notes: what was read and what was set aside.
    pub fn note(&self, format: &str) -> String {
        let mut parts = Vec::new();
        if let Some(t) = &self.meta.title {
            parts.push(format!("title \u{201c}{t}\u{201d}"));
        }
        if let Some(b) = &self.meta.byline {
            parts.push(format!("by {b}"));
        }
        if let Some(d) = &self.meta.date {
            parts.push(format!("published {d}"));
        }
        if let Some(s) = &self.meta.site {
            parts.push(format!("site {s}"));
        }
        let about = if parts.is_empty() {
            String::new()
        } else {
            format!("{}; ", parts.join(", "))
        };
        format!(
            "read as {format}: {about}{} byte(s) of markup in {} piece(s) set aside and {} character reference(s) decoded; offsets are the file's, with markup blanked in the text",
            self.markup_bytes(),
            self.markup.len(),
            self.references
        )
    }
}

/// The kind of input, from its content (and, for Markdown, its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// Plain text.
    Text,
    /// An HTML page.
    Html,
    /// Markdown.
    Markdown,
}

/// Decide how to read `text` from `path`: HTML when the first thing in it is a doctype, an
/// `<html>`, `<head>` or `<body>` tag, or (whatever the name) it opens with a tag and has
/// HTML block tags; Markdown when the name ends in `.md` or `.markdown`; else plain text.
pub fn sniff(path: &str, text: &str) -> InputKind {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    let starts = |p: &str| head.starts_with(p);
    if starts("<!doctype html") || starts("<html") || starts("<head") || starts("<body") {
        return InputKind::Html;
    }
    let html_ext = [".html", ".htm", ".xhtml"]
        .iter()
        .any(|x| path.to_ascii_lowercase().ends_with(x));
    let opens_with_tag = head.starts_with('<')
        && head[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '!');
    let has_blocks = ["<p>", "<p ", "<div", "<article", "<br", "<h1", "<h2"]
        .iter()
        .any(|t| head.contains(t));
    if (opens_with_tag || html_ext) && has_blocks {
        return InputKind::Html;
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return InputKind::Markdown;
    }
    InputKind::Text
}

/// Elements whose end is implied or that hold no text: never pushed on the element stack.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that break the text into paragraphs.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
    "button",
    "noscript",
    "iframe",
    "svg",
    "select",
    "option",
    "time",
];

/// One start tag.
#[derive(Debug, Clone)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether this element holds the article's main content.
    fn is_main(&self) -> bool {
        matches!(self.name.as_str(), "article" | "main")
            || self.attr("role") == Some("main")
            || self.attr("itemprop") == Some("articleBody")
    }

    /// The chrome kind this element marks its content as, if any.
    fn chrome(&self, in_main: bool) -> Option<BoilerplateKind> {
        use BoilerplateKind as K;
        let by_name = match self.name.as_str() {
            "nav" => Some(K::Navigation),
            "aside" => Some(K::Aside),
            "footer" => Some(K::Page),
            "header" if !in_main => Some(K::Navigation),
            "form" | "button" | "select" | "label" | "textarea" => Some(K::Control),
            "figcaption" => Some(K::Caption),
            "noscript" | "iframe" | "svg" | "template" | "dialog" => Some(K::Page),
            "title" => Some(K::Metadata),
            "time" => Some(K::Metadata),
            _ => None,
        };
        let by_role = match self.attr("role") {
            Some("navigation" | "menu" | "menubar" | "banner") => Some(K::Navigation),
            Some("complementary") => Some(K::Aside),
            Some("contentinfo") => Some(K::Page),
            Some("alertdialog" | "dialog") => Some(K::Cookie),
            _ => None,
        };
        by_words(self).or(by_role).or(by_name)
    }
}

/// Chrome recognised from the words of `class` and `id` ("cookie-banner", "share_tools").
fn by_words(tag: &Tag) -> Option<BoilerplateKind> {
    use BoilerplateKind as K;
    let mut words = Vec::new();
    for a in ["class", "id"] {
        if let Some(v) = tag.attr(a) {
            let v = v.to_ascii_lowercase();
            words.extend(
                v.split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_string),
            );
        }
    }
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if has(&["cookie", "cookies", "consent", "gdpr"]) {
        Some(K::Cookie)
    } else if has(&[
        "ad",
        "ads",
        "advert",
        "advertisement",
        "adslot",
        "sponsor",
        "sponsored",
        "promo",
        "dfp",
    ]) {
        Some(K::Advert)
    } else if has(&["share", "sharing", "social", "sharebar", "toolbar"]) {
        Some(K::Control)
    } else if has(&[
        "related",
        "recommended",
        "recirculation",
        "readmore",
        "trending",
    ]) {
        Some(K::RelatedLink)
    } else if has(&["newsletter", "subscribe", "signup", "paywall"]) {
        Some(K::Newsletter)
    } else if has(&["byline", "author", "authors"]) {
        Some(K::Byline)
    } else if has(&["caption", "credit", "credits"]) {
        Some(K::Caption)
    } else if has(&[
        "breadcrumb",
        "breadcrumbs",
        "menu",
        "nav",
        "navbar",
        "navigation",
        "masthead",
        "skip",
    ]) {
        Some(K::Navigation)
    } else if has(&["tools", "print"]) {
        Some(K::Control)
    } else if has(&[
        "meta",
        "kicker",
        "eyebrow",
        "dateline",
        "timestamp",
        "posted",
        "date",
        "published",
    ]) {
        Some(K::Metadata)
    } else if has(&["sidebar", "widget", "rail"]) {
        Some(K::Aside)
    } else if has(&[
        "comments",
        "comment",
        "tags",
        "topics",
        "footer",
        "copyright",
    ]) {
        Some(K::Page)
    } else {
        None
    }
}

/// A piece of the file, as the scanner sees it.
#[derive(Debug)]
enum Token {
    /// Text (with character references) from `start` to `end`.
    Text(usize, usize),
    /// A start tag spanning `start..end`.
    Start(usize, usize, Tag),
    /// An end tag.
    End(usize, usize, String),
    /// A comment, doctype or processing instruction.
    Other(usize, usize),
    /// The content of a script or style element; the tag it belongs to is the previous
    /// start tag.
    Raw(usize, usize),
}

/// Cut `html` into tokens. Never fails: an unclosed tag or comment runs to the end.
fn tokenize(html: &str) -> Vec<Token> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    let find = |from: usize, pat: &[u8]| -> usize {
        b[from.min(b.len())..]
            .windows(pat.len())
            .position(|w| w.eq_ignore_ascii_case(pat))
            .map_or(b.len(), |p| from + p)
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let next = b.get(i + 1).copied().unwrap_or(0);
        let end;
        let token = if b[i..].starts_with(b"<!--") {
            end = (find(i + 4, b"-->") + 3).min(b.len());
            Token::Other(i, end)
        } else if next == b'!' || next == b'?' {
            end = (find(i + 2, b">") + 1).min(b.len());
            Token::Other(i, end)
        } else if next == b'/' && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
            end = (find(i + 2, b">") + 1).min(b.len());
            let name: String = html[i + 2..end]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            Token::End(i, end, name)
        } else if next.is_ascii_alphabetic() {
            let (tag, e) = start_tag(html, i);
            end = e;
            Token::Start(i, end, tag)
        } else {
            // A lone '<' is text.
            i += 1;
            continue;
        };
        if text_start < i {
            out.push(Token::Text(text_start, i));
        }
        let raw_name = match &token {
            Token::Start(_, _, t) if matches!(t.name.as_str(), "script" | "style") => {
                Some(t.name.clone())
            }
            _ => None,
        };
        out.push(token);
        i = end;
        if let Some(name) = raw_name {
            let close = find(i, format!("</{name}").as_bytes());
            if close > i {
                out.push(Token::Raw(i, close));
            }
            i = close;
        }
        text_start = i;
    }
    if text_start < b.len() {
        out.push(Token::Text(text_start, b.len()));
    }
    out
}

/// Read the start tag at `at` (a `<` followed by a letter): its name and attributes, and
/// where it ends (after its `>`, quoted values may hold `>`).
fn start_tag(html: &str, at: usize) -> (Tag, usize) {
    let b = html.as_bytes();
    let mut i = at + 1;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
        i += 1;
    }
    let name = html[at + 1..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        let k0 = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        // Names are ASCII in practice; a stray byte is kept out of the name safely.
        let key = html.get(k0..i).unwrap_or_default().to_ascii_lowercase();
        if i == k0 {
            i += 1;
            continue;
        }
        let mut value = String::new();
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                let v0 = j + 1;
                let v1 = b[v0..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| v0 + p);
                value = html.get(v0..v1).unwrap_or_default().to_string();
                j = (v1 + 1).min(b.len());
            } else {
                let v0 = j;
                while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                    j += 1;
                }
                value = html.get(v0..j).unwrap_or_default().to_string();
            }
            i = j;
        }
        attrs.push((key, decode_all(&value)));
    }
    (Tag { name, attrs }, i.min(b.len()))
}

/// `s` with its character references decoded (for attribute values and metadata).
fn decode_all(s: &str) -> String {
    html_escape::decode_html_entities(s).into_owned()
}

/// The character reference at `at` (a `&`), if it is one: its end and what it stands for.
fn reference_at(text: &str, at: usize) -> Option<(usize, String)> {
    let rest = &text[at + 1..];
    let len = rest
        .char_indices()
        .take(32)
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '#'))
        .filter(|&(_, c)| c == ';')
        .map(|(i, _)| i)?;
    if len == 0 {
        return None;
    }
    let entity = &text[at..at + len + 2];
    let decoded = html_escape::decode_html_entities(entity);
    (decoded != entity).then(|| (at + len + 2, decoded.into_owned()))
}

/// What a byte of the blanked text is, for compaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// The file's own text (or a decoded reference's character).
    Text,
    /// Inline markup, blanked: part of the word around it.
    Inline,
    /// Block markup, blanked: a paragraph or line break.
    Break,
}

/// Who owns a byte of text: nobody (markup, padding), the body, or chrome of a kind.
type Owner = Option<Option<BoilerplateKind>>;

/// The blanked text being built, with each byte's class and owner.
struct Canvas {
    out: Vec<u8>,
    class: Vec<Class>,
    owner: Vec<Owner>,
}

impl Canvas {
    fn new(file: &str) -> Canvas {
        let n = file.len();
        Canvas {
            out: file.as_bytes().to_vec(),
            class: vec![Class::Text; n],
            owner: vec![None; n],
        }
    }

    /// Blank `s..e` as markup: spaces, opened by a paragraph break for a block tag or a line
    /// break for `<br>`.
    fn blank(&mut self, s: usize, e: usize, block: bool, br: bool) {
        self.out[s..e].fill(b' ');
        self.owner[s..e].fill(None);
        let class = if block || br {
            Class::Break
        } else {
            Class::Inline
        };
        self.class[s..e].fill(class);
        if block && e - s >= 2 {
            self.out[s] = b'\n';
            self.out[s + 1] = b'\n';
        } else if br && e > s {
            self.out[s] = b'\n';
        }
    }

    /// Write the character a reference at `s..e` stands for over it, padded with spaces
    /// (compaction closes the gap); a reference to a space becomes spaces. False when the
    /// character is longer than the reference (left as written).
    fn reference(&mut self, s: usize, e: usize, decoded: &str) -> bool {
        let owner = self.owner[s];
        if decoded.chars().all(char::is_whitespace) {
            self.out[s..e].fill(b' ');
            return true;
        }
        let n = decoded.len();
        if n > e - s {
            return false;
        }
        self.out[s..e].fill(b' ');
        self.out[s..s + n].copy_from_slice(decoded.as_bytes());
        self.class[s + n..e].fill(Class::Inline);
        self.owner[s + n..e].fill(None);
        self.owner[s..s + n].fill(owner);
        true
    }

    /// Close the gaps blanking left inside words: in every run of text and inline markup
    /// with no white space of the text in it ("ministry</a>." or "terminal&#8217;s"), the
    /// text moves to the run's start, in order, and the spaces go to its end. A word stays
    /// inside the file range it came from; the text reads as the page does ("ministry.").
    fn compact(&mut self) {
        let n = self.out.len();
        let mut i = 0;
        while i < n {
            let in_run = |k: usize, c: &Canvas| match c.class[k] {
                Class::Text => !c.out[k].is_ascii_whitespace(),
                Class::Inline => true,
                Class::Break => false,
            };
            if !in_run(i, self) {
                i += 1;
                continue;
            }
            let start = i;
            while i < n && in_run(i, self) {
                i += 1;
            }
            let mut w = start;
            for r in start..i {
                if self.class[r] == Class::Text {
                    self.out[w] = self.out[r];
                    self.owner[w] = self.owner[r];
                    self.class[w] = Class::Text;
                    w += 1;
                }
            }
            self.out[w..i].fill(b' ');
            self.owner[w..i].fill(None);
            self.class[w..i].fill(Class::Inline);
        }
    }

    /// The text, and the chrome in it: per line, each stretch whose non-space bytes all
    /// belong to chrome of one kind, trimmed.
    fn finish(self) -> (String, Vec<(usize, usize, BoilerplateKind)>) {
        let mut chrome = Vec::new();
        let mut current: Option<(usize, usize, BoilerplateKind)> = None;
        for (k, &byte) in self.out.iter().enumerate() {
            if byte == b'\n' || byte == b'\r' {
                chrome.extend(current.take());
                continue;
            }
            if byte.is_ascii_whitespace() || self.owner[k].is_none() {
                continue;
            }
            let kind = self.owner[k].flatten();
            match (current, kind) {
                (Some((s, _, ck)), Some(kd)) if ck == kd => current = Some((s, k + 1, ck)),
                (_, Some(kd)) => {
                    chrome.extend(current.take());
                    current = Some((k, k + 1, kd));
                }
                (_, None) => chrome.extend(current.take()),
            }
        }
        chrome.extend(current);
        // Spans end on a character boundary: extend over continuation bytes.
        let text = String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        let chrome = chrome
            .into_iter()
            .map(|(s, mut e, k)| {
                while e < text.len() && !text.is_char_boundary(e) {
                    e += 1;
                }
                (s, e, k)
            })
            .collect();
        (text, chrome)
    }
}

/// Blank the markup of an HTML page and find its chrome ([module docs](self)).
pub fn blank_html(html: &str) -> Blanked {
    let tokens = tokenize(html);
    let has_main = tokens
        .iter()
        .any(|t| matches!(t, Token::Start(_, _, tag) if tag.is_main()));
    let mut canvas = Canvas::new(html);
    let mut result = Blanked::default();
    let mut meta = MetaCollector::default();
    // The open elements: name, chrome kind in force inside, inside main content, inside h1.
    let mut stack: Vec<(String, Option<BoilerplateKind>, bool, bool)> = Vec::new();
    let mut last_tag: Option<Tag> = None;
    let mut text_runs: Vec<(usize, usize)> = Vec::new();
    for tok in &tokens {
        match tok {
            Token::Text(s, e) => {
                let (kind, in_main, in_h1) = stack
                    .last()
                    .map_or((None, false, false), |(_, k, m, h)| (*k, *m, *h));
                let kind = if kind.is_none() && has_main && !in_main && !in_h1 {
                    Some(BoilerplateKind::Page)
                } else {
                    kind
                };
                if stack.last().is_some_and(|(n, ..)| n == "title") {
                    meta.title_element = Some(decode_all(html[*s..*e].trim()));
                }
                canvas.owner[*s..*e].fill(Some(kind));
                text_runs.push((*s, *e));
            }
            Token::Start(s, e, tag) => {
                let block = BLOCK.contains(&tag.name.as_str());
                canvas.blank(*s, *e, block, tag.name == "br");
                result.markup.push((*s, *e));
                meta.tag(tag);
                if !VOID.contains(&tag.name.as_str()) {
                    let (outer, in_main, in_h1) = stack
                        .last()
                        .map_or((None, false, false), |(_, k, m, h)| (*k, *m, *h));
                    let in_main = in_main || tag.is_main();
                    // The outer kind holds inside, unless it is a loose one (metadata, the
                    // page around the article) and this element says more (a byline).
                    let weak = matches!(
                        outer,
                        None | Some(BoilerplateKind::Metadata | BoilerplateKind::Page)
                    );
                    let kind = if weak {
                        tag.chrome(in_main).or(outer)
                    } else {
                        outer
                    };
                    stack.push((tag.name.clone(), kind, in_main, in_h1 || tag.name == "h1"));
                }
                last_tag = Some(tag.clone());
            }
            Token::End(s, e, name) => {
                canvas.blank(*s, *e, BLOCK.contains(&name.as_str()), false);
                result.markup.push((*s, *e));
                if let Some(pos) = stack.iter().rposition(|(n, ..)| n == name) {
                    stack.truncate(pos);
                }
            }
            Token::Other(s, e) => {
                canvas.blank(*s, *e, false, false);
                result.markup.push((*s, *e));
            }
            Token::Raw(s, e) => {
                if let Some(tag) = &last_tag {
                    if tag.attr("type").is_some_and(|t| t.contains("ld+json")) {
                        meta.json_ld(&html[*s..*e]);
                    }
                }
                canvas.blank(*s, *e, false, false);
                result.markup.push((*s, *e));
            }
        }
    }
    // Character references in text, decoded in place.
    for &(s, e) in &text_runs {
        let mut i = s;
        while i < e {
            if html.as_bytes()[i] == b'&' {
                if let Some((end, decoded)) = reference_at(&html[..e], i) {
                    if canvas.reference(i, end, &decoded) {
                        result.references += 1;
                    }
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
    }
    canvas.compact();
    let (text, chrome) = canvas.finish();
    result.meta = meta.finish();
    // No stated author: the page's visible byline ("By Elena Dobre, Economics correspondent").
    if result.meta.byline.is_none() {
        result.meta.byline =
            chrome
                .iter()
                .find(|c| c.2 == BoilerplateKind::Byline)
                .map(|&(s, e, _)| {
                    let t = text[s..e].split_whitespace().collect::<Vec<_>>().join(" ");
                    t.strip_prefix("By ").map(str::to_string).unwrap_or(t)
                });
    }
    result.text = text;
    result.chrome = chrome;
    result
}

/// Metadata gathered while scanning.
#[derive(Debug, Default)]
struct MetaCollector {
    meta: PageMeta,
    ld: PageMeta,
    title_element: Option<String>,
    time: Option<String>,
    canonical: Option<String>,
    og_url: Option<String>,
}

impl MetaCollector {
    fn tag(&mut self, tag: &Tag) {
        let set = |slot: &mut Option<String>, v: &str| {
            let v = v.trim();
            if slot.is_none() && !v.is_empty() {
                *slot = Some(v.to_string());
            }
        };
        match tag.name.as_str() {
            "meta" => {
                let key = tag
                    .attr("property")
                    .or_else(|| tag.attr("name"))
                    .or_else(|| tag.attr("itemprop"))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let Some(v) = tag.attr("content") else {
                    return;
                };
                match key.as_str() {
                    "og:title" | "twitter:title" | "headline" => set(&mut self.meta.title, v),
                    "author" | "article:author" | "byl" => set(&mut self.meta.byline, v),
                    "article:published_time" | "datepublished" | "date" | "pubdate" => {
                        set(&mut self.meta.date, v)
                    }
                    "og:site_name" | "application-name" => set(&mut self.meta.site, v),
                    "og:url" => set(&mut self.og_url, v),
                    _ => {}
                }
            }
            "link" => {
                let canonical = tag.attr("rel").is_some_and(|r| {
                    r.split_whitespace()
                        .any(|w| w.eq_ignore_ascii_case("canonical"))
                });
                if let (true, Some(href)) = (canonical, tag.attr("href")) {
                    set(&mut self.canonical, href);
                }
            }
            "time" => {
                if let Some(d) = tag.attr("datetime") {
                    set(&mut self.time, d);
                }
            }
            _ => {}
        }
    }

    /// Read a JSON-LD block: the first object (or `@graph` member) with a headline.
    fn json_ld(&mut self, raw: &str) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw.trim()) else {
            return;
        };
        let mut items = Vec::new();
        collect_ld(&v, &mut items);
        let name_of = |v: &serde_json::Value| -> Option<String> {
            match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(o) => {
                    o.get("name").and_then(|n| n.as_str()).map(str::to_string)
                }
                serde_json::Value::Array(a) => {
                    let names: Vec<String> = a
                        .iter()
                        .filter_map(|x| match x {
                            serde_json::Value::String(s) => Some(s.clone()),
                            serde_json::Value::Object(o) => {
                                o.get("name").and_then(|n| n.as_str()).map(str::to_string)
                            }
                            _ => None,
                        })
                        .collect();
                    (!names.is_empty()).then(|| names.join(", "))
                }
                _ => None,
            }
        };
        for o in items {
            if o.get("headline").is_none() {
                continue;
            }
            let text = |k: &str| o.get(k).and_then(|x| x.as_str()).map(str::to_string);
            self.ld.title = self.ld.title.take().or_else(|| text("headline"));
            self.ld.date = self.ld.date.take().or_else(|| text("datePublished"));
            self.ld.byline = self
                .ld
                .byline
                .take()
                .or_else(|| o.get("author").and_then(name_of));
            self.ld.site = self
                .ld
                .site
                .take()
                .or_else(|| o.get("publisher").and_then(name_of));
        }
    }

    /// JSON-LD first, then meta tags, then the page's own elements.
    fn finish(self) -> PageMeta {
        let clean = |s: Option<String>| {
            s.map(|x| x.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|x| !x.is_empty())
        };
        PageMeta {
            title: clean(self.ld.title.or(self.meta.title).or(self.title_element)),
            byline: clean(self.ld.byline.or(self.meta.byline)),
            date: clean(self.ld.date.or(self.meta.date).or(self.time)),
            site: clean(self.ld.site.or(self.meta.site)),
            url: clean(self.canonical.or(self.og_url)).filter(|u| {
                let l = u.to_ascii_lowercase();
                (l.starts_with("https://") || l.starts_with("http://")) && !u.contains(' ')
            }),
        }
    }
}

/// The objects of a JSON-LD value: itself, array members and `@graph` members.
fn collect_ld<'v>(
    v: &'v serde_json::Value,
    out: &mut Vec<&'v serde_json::Map<String, serde_json::Value>>,
) {
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_ld(x, out)),
        serde_json::Value::Object(o) => {
            out.push(o);
            if let Some(g) = o.get("@graph") {
                collect_ld(g, out);
            }
        }
        _ => {}
    }
}

/// Blank the markup of a Markdown file: heading and quote markers, list bullets, emphasis
/// and code marks, link and image syntax (a link's text stays, its target is blanked; an
/// image's alt text is a caption), reference definitions, rules and HTML comments.
pub fn blank_markdown(md: &str) -> Blanked {
    let mut c = Canvas::new(md);
    c.owner.fill(Some(None));
    let mut result = Blanked::default();
    let mut in_comment = false;
    for (ls, le, _) in crate::ingest::line_spans(md) {
        let line = &md[ls..le];
        let lead = line.len() - line.trim_start().len();
        let t = line.trim();
        let whole_line = |c: &mut Canvas, markup: &mut Vec<(usize, usize)>| {
            c.blank(ls, le, false, true);
            // No line break of its own: the line's end is already one.
            c.out[ls] = b' ';
            markup.push((ls, le));
        };
        if in_comment || t.starts_with("<!--") {
            in_comment = !t.contains("-->");
            whole_line(&mut c, &mut result.markup);
            continue;
        }
        if t.is_empty() {
            continue;
        }
        // A rule: three or more of one of - * _ = (spaces allowed), nothing else.
        let rule: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
        if rule.len() >= 3 && "-*_=".contains(rule[0]) && rule.iter().all(|&x| x == rule[0]) {
            whole_line(&mut c, &mut result.markup);
            continue;
        }
        // A reference definition: [id]: url
        if t.starts_with('[')
            && t.find("]: ")
                .is_some_and(|close| !t[1..close].contains(']'))
        {
            whole_line(&mut c, &mut result.markup);
            continue;
        }
        let mut i = ls + lead;
        // Block markers, repeatedly: quotes, headings, bullets, numbers.
        loop {
            let rest = &md[i..le];
            let n = if rest.starts_with("> ") || rest == ">" {
                1
            } else if rest.starts_with('#') {
                let hashes = rest.chars().take_while(|&c| c == '#').count();
                if hashes <= 6 && rest[hashes..].starts_with(' ') {
                    hashes
                } else {
                    0
                }
            } else if ["- ", "* ", "+ "].iter().any(|p| rest.starts_with(p)) {
                1
            } else {
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                let after = &rest[digits..];
                if (1..=3).contains(&digits) && (after.starts_with(". ") || after.starts_with(") "))
                {
                    digits + 1
                } else {
                    0
                }
            };
            if n == 0 {
                break;
            }
            c.blank(i, i + n, false, true);
            c.out[i] = b' ';
            result.markup.push((i, i + n));
            i += n;
            while i < le && md.as_bytes()[i] == b' ' {
                i += 1;
            }
        }
        // Closing hashes of a heading ("## Title ##").
        let body = md[i..le].trim_end();
        if line.trim_start().starts_with('#') && body.ends_with('#') {
            let stripped = body.trim_end_matches('#');
            if stripped.ends_with(' ') {
                let (a, z) = (i + stripped.len(), i + body.len());
                c.blank(a, z, false, false);
                result.markup.push((a, z));
            }
        }
        inline_markdown(md, i, le, &mut c, &mut result);
    }
    c.compact();
    let (text, chrome) = c.finish();
    result.text = text;
    result.chrome = chrome;
    result
}

/// Inline Markdown in `md[s..e]`: links and images, code spans, emphasis.
fn inline_markdown(md: &str, s: usize, e: usize, c: &mut Canvas, result: &mut Blanked) {
    let b = md.as_bytes();
    let blank = |c: &mut Canvas, a: usize, z: usize, markup: &mut Vec<(usize, usize)>| {
        if a < z {
            c.blank(a, z, false, false);
            markup.push((a, z));
        }
    };
    let mut i = s;
    while i < e {
        let ch = b[i];
        // [text](url), [text][ref] and ![alt](url)
        if ch == b'[' || (ch == b'!' && b.get(i + 1) == Some(&b'[')) {
            let open = if ch == b'!' { i + 1 } else { i };
            if let Some(close) = find_byte(b, open + 1, e, b']') {
                let target = match b.get(close + 1) {
                    Some(b'(') => find_byte(b, close + 2, e, b')'),
                    Some(b'[') => find_byte(b, close + 2, e, b']'),
                    _ => None,
                };
                if let Some(end) = target {
                    blank(c, i, open + 1, &mut result.markup);
                    blank(c, close, end + 1, &mut result.markup);
                    if ch == b'!' {
                        // The alt text is a caption.
                        c.owner[open + 1..close].fill(Some(Some(BoilerplateKind::Caption)));
                    }
                    i = end + 1;
                    continue;
                }
            }
        }
        // `code`
        if ch == b'`' {
            if let Some(close) = find_byte(b, i + 1, e, b'`') {
                blank(c, i, i + 1, &mut result.markup);
                blank(c, close, close + 1, &mut result.markup);
                i = close + 1;
                continue;
            }
        }
        // *emphasis*, **strong**, _emphasis_, __strong__: a run of the mark that opens
        // before a word or closes after one, never inside a word.
        if ch == b'*' || ch == b'_' {
            let run = b[i..e].iter().take_while(|&&x| x == ch).count();
            let prev = md[..i].chars().next_back();
            let next = md[i + run..].chars().next();
            let word = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
            let punct = |x: Option<char>| x.is_some_and(|x| ".,;:!?\"'”’)".contains(x));
            let opens = word(next) && !word(prev);
            let closes = (word(prev) || punct(prev)) && !word(next);
            if run <= 3 && (opens || closes) {
                blank(c, i, i + run, &mut result.markup);
            }
            i += run;
            continue;
        }
        i += 1;
    }
}

fn find_byte(b: &[u8], from: usize, to: usize, x: u8) -> Option<usize> {
    b.get(from..to)?
        .iter()
        .position(|&c| c == x)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_blanked_in_place_and_blocks_break_paragraphs() {
        let html = "<p>Lavrov <b>said</b> so.</p><p>Talks ended.</p>";
        let b = blank_html(html);
        assert_eq!(b.text.len(), html.len());
        // "<b>said</b>" is one word of the text: "said" moves to its start.
        assert_eq!(
            b.text,
            "\n\n Lavrov said        so.\n\n  \n\n Talks ended.\n\n  "
        );
        assert!(b.chrome.is_empty());
        assert_eq!(b.markup.len(), 6);
    }

    #[test]
    fn references_are_decoded_with_padding_away_from_the_word() {
        let html = "<p>Smith &amp; Co said &quot;no&quot; at 5&nbsp;pm. AT&amp;T &copy; 2022</p>";
        let b = blank_html(html);
        assert_eq!(b.text.len(), html.len());
        let t = b.text.trim();
        assert_eq!(
            t.split_whitespace().collect::<Vec<_>>().join(" "),
            "Smith & Co said \"no\" at 5 pm. AT&T © 2022"
        );
        // The padding goes to the end of each word.
        assert_eq!(
            t,
            "Smith &     Co said \"no\"           at 5      pm. AT&T     ©     2022"
        );
        assert_eq!(b.references, 6);
    }

    #[test]
    fn chrome_is_found_by_element_role_and_class() {
        let html = "<body><nav>Home | World</nav><div class=\"cookie-banner\">We use cookies.</div>\
                    <article><h1>Title here</h1><p>Body text.</p><aside>Also read this</aside>\
                    <div class=\"share-tools\">Share</div><figure><figcaption>A photo.</figcaption></figure></article>\
                    <footer>© 2022 Site</footer></body>";
        let b = blank_html(html);
        let kinds: Vec<(BoilerplateKind, &str)> = b
            .chrome
            .iter()
            .map(|&(s, e, k)| (k, &b.text[s..e]))
            .collect();
        use BoilerplateKind as K;
        assert_eq!(
            kinds,
            vec![
                (K::Navigation, "Home | World"),
                (K::Cookie, "We use cookies."),
                (K::Aside, "Also read this"),
                (K::Control, "Share"),
                (K::Caption, "A photo."),
                (K::Page, "© 2022 Site"),
            ]
        );
    }

    #[test]
    fn metadata_from_json_ld_and_meta_tags() {
        let html = r#"<html><head><title>T | Site</title>
<meta property="og:site_name" content="Daily Example">
<meta name="author" content="Ana Pop">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"Lavrov &amp; talks","datePublished":"2022-01-14T10:00:00Z","author":[{"name":"Ana Pop"},{"name":"Ion Ionescu"}]}]}</script>
</head><body><p>x.</p></body></html>"#;
        let m = blank_html(html).meta;
        assert_eq!(m.title.as_deref(), Some("Lavrov &amp; talks"));
        assert_eq!(m.date.as_deref(), Some("2022-01-14T10:00:00Z"));
        assert_eq!(m.byline.as_deref(), Some("Ana Pop, Ion Ionescu"));
        assert_eq!(m.site.as_deref(), Some("Daily Example"));
    }

    #[test]
    fn the_canonical_address_is_the_link_then_og_url_and_only_http() {
        let page = |head: &str| {
            blank_html(&format!(
                "<html><head>{head}</head><body><p>x.</p></body></html>"
            ))
            .meta
            .url
        };
        assert_eq!(
            page(r#"<meta property="og:url" content="https://a.example/og"><link rel="canonical" href="https://a.example/c">"#).as_deref(),
            Some("https://a.example/c")
        );
        assert_eq!(
            page(r#"<meta property="og:url" content="https://a.example/og">"#).as_deref(),
            Some("https://a.example/og")
        );
        assert_eq!(
            page(r#"<link rel="canonical" href="javascript:alert(1)">"#),
            None
        );
        assert_eq!(
            page(r#"<link rel="stylesheet" href="https://a.example/s.css">"#),
            None
        );
    }

    #[test]
    fn unclosed_markup_and_stray_brackets_do_not_panic() {
        for html in [
            "<p>a < b and c > d",
            "<p>x<!-- never closed",
            "<div class=\"a",
            "<",
            "&",
            "&#;",
            "<script>",
            "</",
            "<a href='x>y'>z",
        ] {
            let b = blank_html(html);
            assert_eq!(b.text.len(), html.len(), "{html}");
        }
        let b = blank_html("<p>a < b</p>");
        assert!(b.text.contains("a < b"));
    }

    #[test]
    fn markdown_markup_is_blanked() {
        let md = "# Lavrov *warns* NATO\n\nHe said [the talks](https://x.example/a) were **over**.\n\n- A `list` item.\n\n![Lavrov in Moscow](p.jpg)\n\nsnake_case stays.\n";
        let b = blank_markdown(md);
        assert_eq!(b.text.len(), md.len());
        let words: Vec<&str> = b.text.split_whitespace().collect();
        assert_eq!(
            words.join(" "),
            "Lavrov warns NATO He said the talks were over. A list item. Lavrov in Moscow snake_case stays."
        );
        assert_eq!(b.chrome.len(), 1);
        assert_eq!(&b.text[b.chrome[0].0..b.chrome[0].1], "Lavrov   in Moscow");
    }

    #[test]
    fn sniffing_reads_content_first() {
        assert_eq!(sniff("a.txt", "<!DOCTYPE html><html>"), InputKind::Html);
        assert_eq!(sniff("a", "  <html lang=en>"), InputKind::Html);
        assert_eq!(sniff("page.txt", "<div><p>Hi</p></div>"), InputKind::Html);
        assert_eq!(sniff("a.html", "Just text, no tags."), InputKind::Text);
        assert_eq!(sniff("a.txt", "Lavrov said <b> is bold."), InputKind::Text);
        assert_eq!(sniff("a.md", "# Title\n\nText."), InputKind::Markdown);
        assert_eq!(sniff("a.txt", "# Title\n\nText."), InputKind::Text);
    }
}
