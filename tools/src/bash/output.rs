//! A command's output, kept within a budget: the head and the tail survive,
//! the middle is cut and counted, and memory stays bounded however much the
//! command prints.

use std::collections::VecDeque;

/// The most bytes one character takes in UTF-8.
const MAX_CHAR_BYTES: usize = 4;

/// Collects output up to `max_chars` characters: the first half and the last
/// half of the budget are kept (a failing build says what failed at the
/// start, a test run sums up at the end).
pub(super) struct OutputBuffer {
    max_chars: usize,
    /// The first bytes, up to `head_capacity`.
    head: Vec<u8>,
    /// The bytes after the head, the oldest dropped past `tail_capacity`.
    tail: VecDeque<u8>,
    head_capacity: usize,
    tail_capacity: usize,
    /// Whether bytes were dropped from the tail's front.
    dropped: bool,
    /// Characters seen in all (UTF-8 lead bytes counted).
    total_chars: usize,
}

impl OutputBuffer {
    /// An empty buffer that will keep at most `max_chars` characters.
    pub(super) fn new(max_chars: usize) -> Self {
        let half_bytes = max_chars.div_ceil(2).saturating_mul(MAX_CHAR_BYTES);
        Self {
            max_chars,
            head: Vec::new(),
            tail: VecDeque::new(),
            head_capacity: half_bytes,
            tail_capacity: half_bytes,
            dropped: false,
            total_chars: 0,
        }
    }

    /// Appends bytes as they arrived.
    pub(super) fn push(&mut self, mut bytes: &[u8]) {
        self.total_chars += bytes.iter().filter(|&&b| !is_continuation(b)).count();
        let room = self.head_capacity.saturating_sub(self.head.len());
        if room > 0 {
            let (first, rest) = bytes.split_at(room.min(bytes.len()));
            self.head.extend_from_slice(first);
            bytes = rest;
        }
        self.tail.extend(bytes);
        let excess = self.tail.len().saturating_sub(self.tail_capacity);
        if excess > 0 {
            self.tail.drain(..excess);
            self.dropped = true;
        }
    }

    /// The text to show: everything if it fits, else the head and the tail
    /// around a marker saying how many characters were cut.
    pub(super) fn finish(self) -> String {
        let head_chars = self.max_chars.div_ceil(2);
        let tail_chars = self.max_chars - head_chars;
        let (head, tail) = if self.dropped {
            let mut tail: Vec<u8> = self.tail.into_iter().collect();
            // The tail may start in the middle of a character.
            let start = tail.iter().take_while(|&&b| is_continuation(b)).count();
            tail.drain(..start);
            (
                String::from_utf8_lossy(&self.head).into_owned(),
                String::from_utf8_lossy(&tail).into_owned(),
            )
        } else {
            let mut all = self.head;
            all.extend(self.tail);
            let all = String::from_utf8_lossy(&all).into_owned();
            if all.chars().count() <= self.max_chars {
                return all;
            }
            (all.clone(), all)
        };
        let head = first_chars(&head, head_chars);
        let tail = last_chars(&tail, tail_chars);
        let cut = self
            .total_chars
            .saturating_sub(head.chars().count() + tail.chars().count());
        format!("{head}\n\n... [{cut} characters cut from the middle of the output] ...\n\n{tail}")
    }
}

/// Whether `byte` continues a UTF-8 character rather than starting one.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// The first `count` characters of `text`.
fn first_chars(text: &str, count: usize) -> &str {
    match text.char_indices().nth(count) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The last `count` characters of `text`.
fn last_chars(text: &str, count: usize) -> &str {
    if count == 0 {
        return "";
    }
    match text.char_indices().rev().nth(count - 1) {
        Some((start, _)) => &text[start..],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_output_is_kept_whole() {
        let mut buffer = OutputBuffer::new(100);
        buffer.push(b"hello ");
        buffer.push("wörld".as_bytes());
        assert_eq!(buffer.finish(), "hello wörld");
    }

    #[test]
    fn long_output_keeps_head_and_tail_and_counts_the_cut() {
        let mut buffer = OutputBuffer::new(10);
        buffer.push(b"0123456789abcdefghij");
        let text = buffer.finish();
        assert!(text.starts_with("01234\n"), "{text}");
        assert!(text.ends_with("\nfghij"), "{text}");
        assert!(text.contains("[10 characters cut"), "{text}");
    }

    #[test]
    fn endless_output_stays_bounded_in_memory() {
        let mut buffer = OutputBuffer::new(10);
        for _ in 0..10_000 {
            buffer.push(b"yyyyyyyyyy");
        }
        buffer.push(b"END");
        assert!(buffer.head.len() + buffer.tail.len() <= 40);
        let text = buffer.finish();
        assert!(text.starts_with("yyyyy\n"), "{text}");
        assert!(text.ends_with("yyEND"), "{text}");
        assert!(text.contains("[99993 characters cut"), "{text}");
    }
}
