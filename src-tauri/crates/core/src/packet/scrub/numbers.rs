//! The two passes that run before names: contacts (e-mail addresses, social handles and
//! profile links) and numbers (A-numbers and phone numbers, however they are spaced).

use super::Scrubber;

/// Hosts whose links point at one person's profile or chat.
const SOCIAL_HOSTS: &[&str] = &[
    "facebook.com/",
    "fb.com/",
    "fb.me/",
    "instagram.com/",
    "tiktok.com/",
    "twitter.com/",
    "x.com/",
    "wa.me/",
    "t.me/",
    "youtube.com/",
    "linkedin.com/",
    "snapchat.com/",
];

/// Characters a number's groups may be separated by (besides any white space).
fn is_sep(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'
                | '\u{2011}'
                | '\u{2012}'
                | '\u{2013}'
                | '\u{2014}'
                | '.'
                | '/'
                | '('
                | ')'
                | '+'
        )
}

impl Scrubber {
    /// Removes e-mail addresses, `@handles` and links to social profiles: all of them in a
    /// packet that must identify no one, otherwise those that carry a hidden person's name or
    /// number (`maria.hernandez84@gmail.com`).
    pub(super) fn contacts(&self, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let end = (i..chars.len())
                .find(|&k| chars[k].is_whitespace())
                .unwrap_or(chars.len());
            match contact_span(&chars[i..end]) {
                Some((a, b)) if self.removes_contact(&chars[i + a..i + b]) => {
                    let original: String = chars[i + a..i + b].iter().collect();
                    out.extend(&chars[i..i + a]);
                    let after = chars[i + b..].iter().copied();
                    self.mark(&out, &original, &self.labels.contact, after, None, true);
                    out.push_str(&self.labels.contact);
                    out.extend(&chars[i + b..end]);
                }
                _ => out.extend(&chars[i..end]),
            }
            i = end;
        }
        out
    }

    fn removes_contact(&self, span: &[char]) -> bool {
        if self.all_numbers {
            return true;
        }
        let text: String = span.iter().collect();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        self.known_numbers
            .iter()
            .any(|n| digits.contains(n.as_str()))
            || crate::text::fold(&text)
                .split(|c: char| !c.is_alphabetic())
                .any(|piece| self.person_of_piece(piece).is_some())
    }

    /// Removes A-numbers and phone numbers: every run of digits (groups separated by one or
    /// two of white space, a line break, a non-breaking space, dashes, dots, slashes,
    /// parentheses or a plus) of seven digits or more, unless it reads as a date; and any run
    /// containing a known number of a hidden person.
    pub(super) fn numbers(&self, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < chars.len() {
            let digit = |k: usize| chars.get(k).is_some_and(char::is_ascii_digit);
            let starts_run = digit(i) || (matches!(chars[i], '+' | '(') && digit(i + 1));
            if !starts_run {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let mut j = i;
            let mut last_digit = i;
            while j < chars.len() {
                if digit(j) {
                    last_digit = j;
                    j += 1;
                } else if let Some(next) = next_group(&chars, j) {
                    j = next;
                } else {
                    break;
                }
            }
            let run: String = chars[i..=last_digit].iter().collect();
            let digits: String = run.chars().filter(char::is_ascii_digit).collect();
            let known = self
                .known_numbers
                .iter()
                .any(|n| digits.contains(n.as_str()));
            let generic = self.all_numbers && digits.len() >= 7 && !looks_like_date(&run);
            if known || generic {
                // Drop an "A" or "A-" written before an A-number.
                let is_a = digits.len() == 8 || digits.len() == 9;
                let trimmed = out.trim_end_matches(['-', ' ', '\u{a0}']);
                let a_prefix = trimmed.ends_with(['A', 'a'])
                    && !trimmed[..trimmed.len() - 1]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric);
                let mut original = run.clone();
                if is_a && a_prefix {
                    let keep = trimmed.len() - 1;
                    original.insert_str(0, &out[keep..]);
                    out.truncate(keep);
                }
                let label = if is_a {
                    &self.labels.a_number
                } else {
                    &self.labels.phone
                };
                let after = chars[last_digit + 1..].iter().copied();
                self.mark(&out, &original, label, after, None, true);
                out.push_str(label);
            } else {
                out.push_str(&run);
            }
            i = last_digit + 1;
        }
        out
    }
}

/// Where the next group of digits starts if the separators at `j` may join two groups of one
/// number: at most two separators, where a run of white space (a line break and its
/// indentation, a non-breaking space) counts as one.
fn next_group(chars: &[char], j: usize) -> Option<usize> {
    let mut k = j;
    let mut units = 0;
    while k < chars.len() && is_sep(chars[k]) {
        if chars[k].is_whitespace() {
            while k < chars.len() && chars[k].is_whitespace() {
                k += 1;
            }
        } else {
            k += 1;
        }
        units += 1;
        if units > 2 {
            return None;
        }
    }
    (k > j && chars.get(k).is_some_and(char::is_ascii_digit)).then_some(k)
}

/// The part of one white-space-free token that is an e-mail address, a handle or a profile
/// link, as char offsets into it.
fn contact_span(token: &[char]) -> Option<(usize, usize)> {
    let lower: String = token.iter().map(char::to_ascii_lowercase).collect();
    let trail = |end: usize| {
        let mut e = end;
        while e > 0
            && matches!(
                token[e - 1],
                '.' | ',' | ';' | ':' | ')' | ']' | '>' | '"' | '\'' | '»' | '!' | '?'
            )
        {
            e -= 1;
        }
        e
    };
    if SOCIAL_HOSTS.iter().any(|h| {
        lower.find(h).is_some_and(|p| {
            p == 0
                || !lower[..p]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
        })
    }) {
        let start = token
            .iter()
            .position(|c| !matches!(c, '(' | '[' | '<' | '"' | '\'' | '«'))
            .unwrap_or(0);
        return Some((start, trail(token.len())));
    }
    let at = token.iter().position(|&c| c == '@')?;
    let local_ok = |c: &char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let start = token[..at]
        .iter()
        .rposition(|c| !local_ok(c))
        .map_or(0, |p| p + 1);
    let end = trail(
        at + 1
            + token[at + 1..]
                .iter()
                .position(|c| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
                .unwrap_or(token.len() - at - 1),
    );
    let after: String = token[at + 1..end.max(at + 1)].iter().collect();
    if start == at {
        // A handle: "@lupita_hdz".
        (after.chars().filter(|c| c.is_alphanumeric()).count() >= 2).then_some((start, end))
    } else {
        // An address: the domain has a dot and ends in letters.
        let tld = after.rsplit_once('.').map(|(_, t)| t).unwrap_or("");
        (tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)).then_some((start, end))
    }
}

/// A date, perhaps with a time after it ("2026-03-04", "03/03/26 21:14"): a year of four
/// digits first or last, or a two-digit year written with slashes.
pub(super) fn looks_like_date(run: &str) -> bool {
    let mut groups: Vec<(usize, String)> = Vec::new();
    let mut sep = String::new();
    let mut digits = 0;
    for c in run.chars() {
        if c.is_ascii_digit() {
            if digits == 0
                && let Some(g) = groups.last_mut()
            {
                g.1 = std::mem::take(&mut sep);
            }
            digits += 1;
        } else {
            if digits > 0 {
                groups.push((digits, String::new()));
                digits = 0;
            }
            sep.push(c);
        }
    }
    if digits > 0 {
        groups.push((digits, String::new()));
    }
    // groups[i].1 is the separator after group i.
    let lens: Vec<usize> = groups.iter().map(|g| g.0).collect();
    if lens.len() < 3 || lens.len() > 6 {
        return false;
    }
    let slashes = groups[0].1.trim() == "/" && groups[1].1.trim() == "/";
    let date = matches!(lens[..3], [4, 1 | 2, 1 | 2] | [1 | 2, 1 | 2, 4])
        || (slashes && matches!(lens[..3], [1 | 2, 1 | 2, 2]));
    date && lens[3..].iter().all(|l| *l <= 2)
}
