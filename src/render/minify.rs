//! How the built-in templates are minified, once, when briefing is
//! compiled: `build.rs` minifies every `.html` file of `templates/` with
//! this, and the binary holds the minified text beside the text as written.
//! The test that compares the pages of the two includes it too; the
//! library does not (it has no minifier to run).

/// How markup is minified: valid HTML kept (closing tags, quoted values
/// where needed, spaces between attributes), CSS minified.
pub fn config() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_css = true;
    cfg.minify_doctype = false;
    cfg.allow_noncompliant_unquoted_attribute_values = false;
    cfg.allow_removing_spaces_between_attributes = false;
    cfg
}

/// A template minified, its `{{ }}`, `{% %}` and `{# #}` kept as they are:
/// the markup of every page is minified once, at compile time, rather
/// than page by page. What the tags insert (article text, notes) is HTML
/// the build writes compactly itself. Tags must not stand where an
/// attribute would, and strings inside an attribute's value are in single
/// quotes (`class="{% if k == 'a' %}…{% endif %}"`).
pub fn template(text: &str) -> String {
    let mut cfg = config();
    cfg.preserve_brace_template_syntax = true;
    String::from_utf8_lossy(&minify_html::minify(text.as_bytes(), &cfg)).into_owned()
}
