//! Turning a fetched HTML page into what the model reads: Markdown (with
//! `htmd`) or plain text, without scripts, styles and other markup that
//! carries no content.

use markup5ever_rcdom::{Handle, NodeData};

/// Elements whose contents are never shown: code, styling and embedded
/// objects, not text a person reads.
const HIDDEN_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "iframe", "object", "embed", "template", "head", "meta", "link",
    "svg",
];

/// Elements that start a new line in the text rendering.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
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
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tr",
    "ul",
];

/// `html` as Markdown, scripts, styles and embedded objects left out.
pub(super) fn to_markdown(html: &str) -> std::io::Result<String> {
    htmd::HtmlToMarkdown::builder()
        .skip_tags(HIDDEN_ELEMENTS.to_vec())
        .build()
        .convert(html)
}

/// The text a person would read on the page `html`: one line per block
/// element (and per line of a `<pre>`), runs of white space collapsed,
/// hidden elements left out. Indentation inside `<pre>` is not kept: the
/// Markdown format is the one for pages of code.
pub(super) fn to_text(html: &str) -> std::io::Result<String> {
    let tree = htmd::HtmlToMarkdown::new().html_to_tree(html)?;
    let mut text = String::new();
    // An explicit stack rather than recursion: a page may nest deeply.
    // `tree` itself stays alive until the end: dropping an rcdom node empties
    // the child lists of all its descendants, even ones still referenced.
    let mut pending: Vec<Step> = vec![Step::Visit(tree.clone(), false)];
    while let Some(step) = pending.pop() {
        let node = match step {
            Step::BreakLine => {
                text.push('\n');
                continue;
            }
            Step::Visit(node, preformatted) => (node, preformatted),
        };
        let (node, preformatted) = node;
        match &node.data {
            // Outside `<pre>`, a line end in the source is just white space.
            NodeData::Text { contents } if preformatted => text.push_str(&contents.borrow()),
            NodeData::Text { contents } => {
                text.extend(contents.borrow().chars().map(|c| match c {
                    '\n' | '\r' => ' ',
                    other => other,
                }));
            }
            NodeData::Element { name, .. } => {
                let tag: &str = &name.local;
                if HIDDEN_ELEMENTS.contains(&tag) {
                    continue;
                }
                let block = BLOCK_ELEMENTS.contains(&tag);
                if block {
                    text.push('\n');
                    pending.push(Step::BreakLine);
                } else if matches!(tag, "td" | "th") {
                    text.push(' ');
                }
                push_children(&node, preformatted || tag == "pre", &mut pending);
            }
            NodeData::Document => push_children(&node, false, &mut pending),
            _ => {}
        }
    }
    drop(tree);
    Ok(tidy(&text))
}

/// What is left to do while walking the tree.
enum Step {
    /// Render this node and its children; whether it is inside a `<pre>`.
    Visit(Handle, bool),
    /// End the line of a block element.
    BreakLine,
}

/// Queues `node`'s children so that they are visited in document order.
fn push_children(node: &Handle, preformatted: bool, pending: &mut Vec<Step>) {
    pending.extend(
        node.children
            .borrow()
            .iter()
            .rev()
            .map(|child| Step::Visit(child.clone(), preformatted)),
    );
}

/// `text` with the white space of each line collapsed to single spaces,
/// blank lines dropped, and the whole trimmed.
fn tidy(text: &str) -> String {
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_blocks_on_their_own_lines_and_drops_scripts() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
                    <h1>Title</h1><p>One   <b>bold</b>\n word.</p><script>alert(1)</script>\
                    <ul><li>a</li><li>b</li></ul></body></html>";
        assert_eq!(to_text(html).unwrap(), "Title\nOne bold word.\na\nb");
    }

    #[test]
    fn markdown_has_headings_and_no_scripts() {
        let html = "<h1>Title</h1><p>Some <a href=\"https://x.test/\">link</a></p>\
                    <script>alert(1)</script>";
        let markdown = to_markdown(html).unwrap();
        assert!(markdown.starts_with("# Title"), "{markdown}");
        assert!(markdown.contains("[link](https://x.test/)"), "{markdown}");
        assert!(!markdown.contains("alert"), "{markdown}");
    }
}
