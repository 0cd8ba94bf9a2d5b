//! Markdown: parsed once into events and the visible text a reader sees, then
//! rendered with highlights, mention links and margin notes spliced into the
//! event stream (never by editing finished HTML).

use foldhash::HashSet;
use foldhash::HashSetExt as _;
use std::ops::Range;

use arcstr::Substr;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// A parsed Markdown text: its source and what a reader sees of it. The
/// events are not kept: [`render`] parses the source again, which costs less
/// than holding every article's events for the whole build.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// An article's is a piece of its file's text, shared with the loaded
    /// files; a text from YAML has its own.
    source: Substr,
    /// Whether the text is one paragraph shown without the `<p>` around it.
    unwrapped: bool,
    /// The text as a reader sees it: Markdown syntax removed, blocks separated
    /// by a line break.
    pub text: String,
    /// Ranges of `text` where mentions are never linked: link text and code.
    pub unlinkable: Vec<Range<usize>>,
    /// Every link and image destination, with its byte range in the source.
    pub links: Vec<(String, Range<usize>)>,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

impl Doc {
    /// Parses `source`. With `inline`, a text that is one paragraph is rendered
    /// without the paragraph around it.
    pub fn parse(source: impl Into<Substr>, inline: bool) -> Doc {
        let source = source.into();
        // The visible text is the source less its syntax: reserved at the
        // source's length, it is made without being grown and copied, and
        // without the room that growing by doubling leaves (which shrinking
        // in place, as mimalloc does down to half, would keep).
        let mut doc = Doc {
            text: String::with_capacity(source.len()),
            ..Doc::default()
        };
        let mut paragraphs = 0usize;
        let (mut first, mut last) = (false, false);
        let mut count = 0usize;
        walk(&source, &mut doc, |event, _| {
            if matches!(event, Event::Start(Tag::Paragraph)) {
                paragraphs += 1;
            }
            first |= count == 0 && matches!(event, Event::Start(Tag::Paragraph));
            last = matches!(event, Event::End(TagEnd::Paragraph));
            count += 1;
        });
        doc.unwrapped = inline && paragraphs == 1 && first && last;
        doc.source = source;
        // Kept for the whole build: no room left over from growing (the
        // text was reserved at the source's length, and is shrunk only
        // where that was much more than it took).
        doc.text.shrink_to_fit();
        doc.unlinkable = crate::to_length(doc.unlinkable);
        doc.links = crate::to_length(doc.links);
        doc
    }

    /// The Markdown source, as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The events as the page shows them, each with where its text starts
    /// in the visible text (for `Text` and `Code` events).
    fn events(&self) -> Vec<(Event<'_>, Option<usize>)> {
        let mut events = Vec::new();
        walk(&self.source, &mut Doc::default(), |event, start| {
            events.push((event, start))
        });
        if self.unwrapped && events.len() >= 2 {
            events.pop();
            events.remove(0);
        }
        events
    }

    fn break_line(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }
}

/// Parses `source` into the events the page shows (raw HTML as text),
/// building `doc`'s visible text, unlinkable ranges and links as it goes,
/// and hands each event to `each` with where its text starts in the visible
/// text. [`Doc::parse`] and [`Doc::events`] both walk this way, so that
/// positions found in the text are the same at rendering.
fn walk<'a>(source: &'a str, doc: &mut Doc, mut each: impl FnMut(Event<'a>, Option<usize>)) {
    let mut link_depth = 0usize;
    // An image's description is its `alt` attribute, not text on the
    // page: it is neither quoted, marked nor searched for mentions.
    let mut image_depth = 0usize;
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let event = match event {
            // Raw HTML is shown as text, never passed through.
            Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
            Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
            other => other,
        };
        match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                doc.links.push((dest_url.to_string(), range.clone()));
                link_depth += 1;
            }
            Event::End(TagEnd::Link | TagEnd::Image) => link_depth = link_depth.saturating_sub(1),
            Event::Start(tag) if is_block(tag) => doc.break_line(),
            Event::End(tag) if is_block_end(tag) => doc.break_line(),
            // A soft break reads as a space: names wrapped across source lines are still mentions.
            Event::SoftBreak => doc.text.push(' '),
            Event::HardBreak | Event::Rule => doc.text.push('\n'),
            _ => {}
        }
        match &event {
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            _ => {}
        }
        let start = match &event {
            Event::Text(t) | Event::Code(t) if image_depth == 0 => {
                let start = doc.text.len();
                doc.text.push_str(t);
                if link_depth > 0 || matches!(event, Event::Code(_)) {
                    doc.unlinkable.push(start..doc.text.len());
                }
                Some(start)
            }
            _ => None,
        };
        each(event, start);
    }
}

fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// Something spliced around a range of a document's visible text.
#[derive(Debug, Clone)]
pub struct Mark<'a> {
    /// The range of `Doc::text` it covers.
    pub range: Range<usize>,
    /// What it is.
    pub kind: MarkKind<'a>,
}

/// The kinds of marks. A mention's name and preview key are the same on
/// every page, and borrowed.
#[derive(Debug, Clone)]
pub enum MarkKind<'a> {
    /// A quoted passage: `<mark>` elements carrying `data-quote="{anchor}"`,
    /// the first also `id="{anchor}"`.
    Highlight {
        /// The anchor id, e.g. `q-progress-on-narcotics-1`.
        anchor: String,
        /// Extra classes, e.g. the claim's status.
        class: String,
        /// A one-line description, e.g. the claim's text.
        title: String,
        /// What the script's preview shows: `claims/ID` or `events/ID`.
        preview: String,
    },
    /// A mention of a glossary entry: a link to it.
    Mention {
        /// Where the link goes, relative to the page.
        href: String,
        /// The element id, `m-ENTRY-N`.
        anchor: String,
        /// The entry's name, for the link's title.
        title: &'a str,
        /// What the script's preview shows: `actors/ID` or `terms/ID`.
        preview: &'a str,
    },
}

/// A note about a position of the text. The notes of one top-level block are
/// gathered into one `<div class="margin-notes" role="note">` list, and the
/// list and the block into one `<div class="annotated">`: the list comes first,
/// so that on a wide screen it floats beside the top of its block, and the
/// stylesheet moves it under the block on a narrow one.
#[derive(Debug, Clone)]
pub struct Note {
    /// The position in `Doc::text`.
    pub at: usize,
    /// The note's HTML: one list item, `<li>…</li>`.
    pub html: String,
}

/// Renders `doc` to HTML with `marks` spliced in; `root` is the relative path
/// from the page to the site's root (`""` or `"../"`), used for `@/` links.
pub fn render(doc: &Doc, marks: &[Mark<'_>], notes: &[Note], root: &str) -> String {
    let events = doc.events();
    let mut out = Vec::with_capacity(events.len() + marks.len() * 4);
    let mut opened: HashSet<&str> = HashSet::new();
    let mut depth = 0usize;
    let mut notes_left = notes.iter().peekable();
    let block_ends = top_level_block_ends(&events);
    let mut wrapped = false;
    let mut active = ActiveMarks::new(marks);
    for (i, (event, start)) in events.iter().enumerate() {
        if let (Event::Start(tag), 0) = (event, depth)
            && is_block(tag)
        {
            let end = block_ends
                .binary_search_by_key(&i, |&(start, _)| start)
                .map_or(usize::MAX, |at| block_ends[at].1);
            let items: Vec<&Note> =
                std::iter::from_fn(|| notes_left.next_if(|n| n.at < end)).collect();
            wrapped = push_notes(&mut out, &items);
        }
        match (event, start) {
            (Event::Text(text), Some(start)) => {
                let marks = active.over(*start, *start + text.len());
                splice(&mut out, text, *start, marks, &mut opened, false)
            }
            (Event::Code(text), Some(start)) => {
                out.push(Event::Html("<code>".into()));
                let marks = active.over(*start, *start + text.len());
                splice(&mut out, text, *start, marks, &mut opened, true);
                out.push(Event::Html("</code>".into()));
            }
            (
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }),
                _,
            ) => {
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: resolve_link(dest_url, root),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            _ => out.push(event.clone()),
        }
        match event {
            Event::Start(tag) if is_block(tag) => depth += 1,
            Event::End(tag) if is_block_end(tag) => {
                depth = depth.saturating_sub(1);
                if depth == 0 && wrapped {
                    out.push(Event::Html("</div>\n".into()));
                    wrapped = false;
                }
            }
            _ => {}
        }
    }
    if push_notes(&mut out, &notes_left.collect::<Vec<_>>()) {
        out.push(Event::Html("</div>\n".into()));
    }
    // Room for the text with its markup, each mark's element (a mention's
    // is about 150 bytes) and the notes, so that the page grows once at most.
    let notes_len: usize = notes.iter().map(|n| n.html.len()).sum();
    let mut html = String::with_capacity(doc.text.len() * 2 + marks.len() * 160 + notes_len);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html
}

/// For each top-level block, in order: the index of its start event, and
/// where its visible text ends.
fn top_level_block_ends(events: &[(Event, Option<usize>)]) -> Vec<(usize, usize)> {
    let mut ends = Vec::new();
    let mut depth = 0usize;
    let mut current = 0usize;
    let mut position = 0usize;
    for (i, (event, start)) in events.iter().enumerate() {
        if let (Some(start), Event::Text(t) | Event::Code(t)) = (start, event) {
            position = start + t.len();
        }
        match event {
            Event::Start(tag) if is_block(tag) => {
                if depth == 0 {
                    current = i;
                }
                depth += 1;
            }
            Event::End(tag) if is_block_end(tag) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    ends.push((current, position.max(1)));
                }
            }
            _ => {}
        }
    }
    ends
}

/// Opens a `<div class="annotated">` holding the notes, if there are any, and
/// says whether it did; the caller closes it after the block.
fn push_notes(out: &mut Vec<Event<'_>>, notes: &[&Note]) -> bool {
    if notes.is_empty() {
        return false;
    }
    let items: String = notes.iter().map(|n| n.html.as_str()).collect();
    out.push(Event::Html(
        format!("<div class=\"annotated\"><div class=\"margin-notes\" role=\"note\" aria-label=\"Claims quoted here\"><ul>{items}</ul></div>\n").into(),
    ));
    true
}

/// Turns an `@/kind/id` link into a relative one; other links are kept.
fn resolve_link<'a>(dest: &CowStr<'a>, root: &str) -> CowStr<'a> {
    match dest.strip_prefix("@/") {
        Some(path) => match path.strip_prefix("events/") {
            Some(event) => format!("{root}timeline/index.html#event-{event}").into(),
            None => format!("{root}{path}.html").into(),
        },
        None => dest.clone(),
    }
}

/// The marks over the text events of a document, which come in the order of
/// the visible text: each event is given only the marks that may touch it,
/// so that rendering is linear in the number of marks, not in marks times
/// events.
struct ActiveMarks<'a> {
    /// Every mark, by where it starts (in the given order where that ties).
    by_start: Vec<&'a Mark<'a>>,
    /// The next of `by_start` not yet active.
    next: usize,
    /// The marks that started before the last event's end, in `by_start`
    /// order, less those that ended before its start.
    active: Vec<&'a Mark<'a>>,
}

impl<'a> ActiveMarks<'a> {
    fn new(marks: &'a [Mark<'a>]) -> Self {
        let mut by_start: Vec<&Mark> = marks.iter().collect();
        by_start.sort_by_key(|m| m.range.start);
        ActiveMarks {
            by_start,
            next: 0,
            active: Vec::new(),
        }
    }

    /// The marks that touch `base..end` (start before its end, end after
    /// its start); `base` is never below the previous call's `end`, as the
    /// text events do not overlap.
    fn over(&mut self, base: usize, end: usize) -> &[&'a Mark<'a>] {
        self.active.retain(|m| m.range.end > base);
        while let Some(m) = self.by_start.get(self.next)
            && m.range.start < end
        {
            if m.range.end > base {
                self.active.push(m);
            }
            self.next += 1;
        }
        &self.active
    }
}

/// Emits `text` (starting at `base` in the visible text) as pieces wrapped in
/// the marks that cover them (`marks`: those that touch it, from
/// [`ActiveMarks::over`]): highlights outside, a mention link inside.
///
/// Line breaks are shown as the unmarked text shows them: a piece never
/// ends between the CR and the LF of a line ending (a browser reads CR,
/// an element, LF as two breaks), and a line ending that ends the text
/// is left outside every mark, so that the text is still what ends it
/// (pulldown-cmark's writer puts a line break before the next block when
/// what it wrote last did not end with one).
fn splice<'a, 'e>(
    out: &mut Vec<Event<'e>>,
    text: &'e str,
    base: usize,
    marks: &[&'a Mark<'a>],
    opened: &mut HashSet<&'a str>,
    in_code: bool,
) {
    let end = base + text.len();
    let body_end = end - trailing_line_ending(text);
    let bytes = text.as_bytes();
    let inside_crlf =
        |p: usize| p > base && p < end && bytes[p - base - 1] == b'\r' && bytes[p - base] == b'\n';
    let place = |p: usize| {
        let p = p.clamp(base, body_end);
        if inside_crlf(p) { p + 1 } else { p }
    };
    // Each mark's piece of this text, where it starts and ends.
    let spans: Vec<(usize, usize, &Mark)> = marks
        .iter()
        .copied()
        .filter(|m| !(in_code && matches!(m.kind, MarkKind::Mention { .. })))
        .map(|m| (place(m.range.start), place(m.range.end), m))
        .filter(|(start, end, _)| start < end)
        .collect();
    if spans.is_empty() {
        push_text(out, text, in_code);
        return;
    }
    let mut cuts: Vec<usize> = vec![base, body_end, end];
    for (start, end, _) in &spans {
        cuts.extend([*start, *end]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut stack: Vec<&Mark> = Vec::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let mut wanted: Vec<&Mark> = spans
            .iter()
            .filter(|(start, end, _)| *start <= a && *end >= b)
            .map(|(_, _, m)| *m)
            .collect();
        // Highlights nest outside mentions; earlier-starting highlights outside later ones.
        wanted.sort_by_key(|m| {
            (
                matches!(m.kind, MarkKind::Mention { .. }),
                m.range.start,
                std::cmp::Reverse(m.range.end),
            )
        });
        let keep = stack
            .iter()
            .zip(&wanted)
            .take_while(|(x, y)| std::ptr::eq(**x, **y))
            .count();
        while stack.len() > keep {
            close(out, stack.pop().expect("stack is longer than keep"));
        }
        for m in &wanted[keep..] {
            open(out, m, opened);
            stack.push(m);
        }
        push_text(out, &text[a - base..b - base], in_code);
    }
    while let Some(m) = stack.pop() {
        close(out, m);
    }
}

/// How many bytes of line ending end `text`: CR LF, LF or CR.
fn trailing_line_ending(text: &str) -> usize {
    if text.ends_with("\r\n") {
        2
    } else if text.ends_with(['\n', '\r']) {
        1
    } else {
        0
    }
}

/// Pushes a piece of text; its line endings, CR LF or CR, are written as
/// LF, which is what a browser reads them as, so that no element spliced
/// between two pieces can part a CR from its LF.
fn push_text<'e>(out: &mut Vec<Event<'e>>, text: &'e str, in_code: bool) {
    let text: CowStr<'e> = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    };
    if in_code {
        out.push(Event::Html(escape(&text).into()));
    } else {
        out.push(Event::Text(text));
    }
}

fn open<'a>(out: &mut Vec<Event<'_>>, mark: &'a Mark<'a>, opened: &mut HashSet<&'a str>) {
    let anchor = match &mark.kind {
        MarkKind::Highlight { anchor, .. } | MarkKind::Mention { anchor, .. } => anchor,
    };
    // Only the first piece of a mark carries the id.
    let first = opened.insert(anchor);
    let mut html = String::with_capacity(MARK_ELEMENT);
    match &mark.kind {
        MarkKind::Highlight {
            class,
            title,
            preview,
            ..
        } => {
            html.push_str("<mark");
            push_attribute(&mut html, "class", class);
            push_attribute(&mut html, "data-quote", anchor);
            if first {
                push_attribute(&mut html, "id", anchor);
            }
            push_attribute(&mut html, "data-preview", preview);
            push_attribute(&mut html, "title", title);
        }
        MarkKind::Mention {
            href,
            title,
            preview,
            ..
        } => {
            html.push_str("<a class=\"mention\"");
            push_attribute(&mut html, "href", href);
            if first {
                push_attribute(&mut html, "id", anchor);
            }
            push_attribute(&mut html, "data-preview", preview);
            push_attribute(&mut html, "title", title);
        }
    }
    html.push('>');
    out.push(Event::Html(html.into()));
}

/// Room for a mark's opening element, which is one string: most are
/// shorter, and the few longer grow it once.
const MARK_ELEMENT: usize = 256;

/// Adds ` name="value"` to an element, escaping the value.
fn push_attribute(html: &mut String, name: &str, value: &str) {
    html.push(' ');
    html.push_str(name);
    html.push_str("=\"");
    pulldown_cmark_escape::escape_html(&mut *html, value).expect("writing to a String cannot fail");
    html.push('"');
}

fn close(out: &mut Vec<Event<'_>>, mark: &Mark<'_>) {
    let html = match mark.kind {
        MarkKind::Highlight { .. } => "</mark>",
        MarkKind::Mention { .. } => "</a>",
    };
    out.push(Event::Html(html.into()));
}

/// A visible text on one line: its words, one space between each.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(range: Range<usize>, anchor: &str) -> Mark<'static> {
        Mark {
            range,
            kind: MarkKind::Highlight {
                anchor: anchor.into(),
                class: "hl".into(),
                title: "t".into(),
                preview: "claims/a".into(),
            },
        }
    }

    #[test]
    fn visible_text_drops_syntax_and_separates_blocks() {
        let doc = Doc::parse(
            "Some *very* [linked](https://x.org) text.\n\n- one\n- `two`\n",
            false,
        );
        assert_eq!(doc.text, "Some very linked text.\none\ntwo\n");
        assert_eq!(doc.links, vec![("https://x.org".to_string(), 12..35)]);
    }

    #[test]
    fn a_soft_break_is_a_space() {
        let doc = Doc::parse("U.S. President\nDonald Trump", true);
        assert_eq!(doc.text, "U.S. President Donald Trump\n");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let doc = Doc::parse("Hi <b>there</b>\n\n<script>alert(1)</script>\n", false);
        let html = render(&doc, &[], &[], "");
        assert!(
            !html.contains("<b>") && !html.contains("<script>"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn a_highlight_across_emphasis_is_split_into_pieces_with_one_id() {
        let doc = Doc::parse("We *worked on it*, and more.", false);
        let start = doc.text.find("worked").unwrap();
        let end = doc.text.find(", and").unwrap() + 5;
        let html = render(&doc, &[hl(start..end, "q-a-1")], &[], "");
        assert_eq!(
            html,
            "<p>We <em><mark class=\"hl\" data-quote=\"q-a-1\" id=\"q-a-1\" data-preview=\"claims/a\" title=\"t\">worked on it</mark></em><mark class=\"hl\" data-quote=\"q-a-1\" data-preview=\"claims/a\" title=\"t\">, and</mark> more.</p>\n"
        );
    }

    #[test]
    fn overlapping_highlights_nest() {
        let doc = Doc::parse("abcdef", true);
        let html = render(&doc, &[hl(0..4, "q-a-1"), hl(2..6, "q-b-1")], &[], "");
        assert_eq!(html.matches("<mark").count(), 3, "{html}");
        assert!(html.starts_with("<mark class=\"hl\" data-quote=\"q-a-1\" id=\"q-a-1\" data-preview=\"claims/a\" title=\"t\">ab<mark class=\"hl\" data-quote=\"q-b-1\" id=\"q-b-1\""));
    }

    #[test]
    fn internal_links_become_relative() {
        let doc = Doc::parse("See [the claim](@/claims/x).", true);
        assert_eq!(
            render(&doc, &[], &[], "../"),
            "See <a href=\"../claims/x.html\">the claim</a>."
        );
    }

    #[test]
    fn notes_come_first_in_a_wrapper_around_their_block() {
        let doc = Doc::parse("One.\n\nTwo, *three*.", false);
        let notes = [
            Note {
                at: doc.text.find("Two").unwrap(),
                html: "<li>a</li>".into(),
            },
            Note {
                at: doc.text.find("three").unwrap(),
                html: "<li>b</li>".into(),
            },
        ];
        assert_eq!(
            render(&doc, &[], &notes, ""),
            "<p>One.</p>\n<div class=\"annotated\"><div class=\"margin-notes\" role=\"note\" aria-label=\"Claims quoted here\"><ul><li>a</li><li>b</li></ul></div>\n<p>Two, <em>three</em>.</p>\n</div>\n"
        );
    }

    /// Removes the highlight elements `render` splices in.
    fn strip_marks(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            out.push_str(&rest[..i]);
            let tag_end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
            let tag = &rest[i..tag_end];
            if !(tag.starts_with("<mark ") || tag == "</mark>") {
                out.push_str(tag);
            }
            rest = &rest[tag_end..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn an_images_description_is_not_text_on_the_page() {
        let doc = Doc::parse(
            "Before ![a photo of Petro](https://x.org/p.jpg) after.",
            false,
        );
        assert_eq!(doc.text, "Before  after.\n");
        let html = render(&doc, &[], &[], "");
        assert!(html.contains(r#"alt="a photo of Petro""#), "{html}");
    }

    /// The text of an HTML fragment as a browser has it (html5ever turns
    /// CR LF and a lone CR into LF, as browsers do).
    fn visible(html: &str) -> String {
        scraper::Html::parse_fragment(html)
            .root_element()
            .text()
            .collect()
    }

    fn mention(range: Range<usize>) -> Mark<'static> {
        Mark {
            range,
            kind: MarkKind::Mention {
                href: "actors/x.html".into(),
                anchor: "m-x-1".into(),
                title: "X",
                preview: "actors/x",
            },
        }
    }

    /// Raw HTML and code are shown with their line breaks, whatever their
    /// line endings: a mark that ends or begins inside a CR LF, or at the
    /// end of a line, changes nothing a reader sees. Every range of each
    /// text is tried, as a highlight and as a mention.
    #[test]
    fn marks_keep_the_line_breaks_of_raw_html_and_code() {
        let bodies = [
            // What the fuzzer found: a raw HTML block with CR CR LF endings.
            "<?\r\r\n\u{15}\n<\n<[l%?\r\r\n\u{15}\n<\n<[l%",
            "<div>\r\none\r\ntwo\r\n</div>\r\n\r\nAfter.\r\n",
            "<div>\rone\rtwo\r</div>\r\rAfter.\r",
            "<div>\none\ntwo\n</div>\n\nAfter.\n",
            "Text <b>\r\nbold</b>\r\nmore\r\n",
            "```\r\nlet a = 1;\r\nlet b = 2;\r\n```\r\n\r\nAfter.\r\n",
            "```\rlet a = 1;\rlet b = 2;\r```\r\rAfter.\r",
            "    indented\r\n    code\r\n\r\nAfter.\r\n",
            "Some `code` and\r\na line\r\n",
        ];
        for body in bodies {
            let doc = Doc::parse(body, false);
            let plain = visible(&render(&doc, &[], &[], ""));
            let len = doc.text.len();
            let bounds: Vec<usize> = (0..=len)
                .filter(|&i| doc.text.is_char_boundary(i))
                .collect();
            for (i, &a) in bounds.iter().enumerate() {
                for &b in &bounds[i + 1..] {
                    for marks in [vec![hl(a..b, "q-a-1")], vec![mention(a..b)]] {
                        let marked = render(&doc, &marks, &[], "");
                        assert_eq!(
                            visible(&marked),
                            plain,
                            "{body:?}, a mark over {a}..{b} ({:?}) changed the text: {marked:?}",
                            &doc.text[a..b]
                        );
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// Highlighting never changes the article: without the spliced
        /// elements, the page is the unannotated rendering.
        #[test]
        fn highlights_never_change_the_text(
            body in "([a-z]{1,6}|\\*[a-z]{1,5}\\*|\\[[a-z]{1,4}\\]\\(https://x\\.org\\)|`[a-z]{1,3}`|\n\n|[ ,.’“”&<>])*",
            cuts in proptest::collection::vec((0usize..200, 1usize..40), 0..6),
        ) {
            let doc = Doc::parse(&body, false);
            let plain = render(&doc, &[], &[], "");
            let len = doc.text.len();
            let marks: Vec<Mark> = cuts
                .iter()
                .enumerate()
                .filter_map(|(i, &(start, width))| {
                    let mut a = start.min(len);
                    let mut b = (start + width).min(len);
                    while !doc.text.is_char_boundary(a) { a -= 1; }
                    while !doc.text.is_char_boundary(b) { b += 1; }
                    (a < b).then(|| hl(a..b, &format!("q-x-{i}")))
                })
                .collect();
            let marked = render(&doc, &marks, &[], "");
            proptest::prop_assert_eq!(strip_marks(&marked), plain);
        }
    }
}
