//! What the unit tests of several modules share.

use std::ops::Range;

/// The range of `width` bytes at `at` in `text`, moved to the characters'
/// boundaries and kept within the text: a range a property test can cut.
pub fn char_range(text: &str, at: usize, width: usize) -> Range<usize> {
    let mut start = at.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + width).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}
