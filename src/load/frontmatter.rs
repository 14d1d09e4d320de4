//! Splitting a Markdown file into its YAML front matter and its body.
//!
//! The front matter is delimited by `---` lines, Hugo/Zola/Jekyll style. It is optional for the
//! splitter; the loader requires it because every page needs a title.

/// The parts of a Markdown file, as byte ranges of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (empty when there is no front matter).
    pub yaml: &'a str,
    /// 1-based line of the first YAML line in the whole file.
    pub yaml_line: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// Byte offset of the body in the whole file.
    pub body_offset: usize,
    /// 1-based line of the first body line in the whole file.
    pub body_line: usize,
}

/// Splits `text`. Returns `None` when the file opens a front matter fence and never closes it.
pub fn split(text: &str) -> Option<Split<'_>> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[bom..];
    let first_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_end].trim_end() != "---" {
        return Some(Split {
            yaml: "",
            yaml_line: 1,
            body: rest,
            body_offset: bom,
            body_line: 1,
        });
    }
    let yaml_start = bom + first_end;
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if l.trim_end() == "---" {
            let body_offset = offset + l.len();
            return Some(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    None
}

/// Where the body starts in the first bytes of a file, once the closing fence line (ending in
/// a line break) is among them; `None` before that, or when the file opens no front matter.
/// Works on bytes so that a chunk cut inside a character is fine.
pub fn body_offset(bytes: &[u8]) -> Option<usize> {
    let bom = if bytes.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    };
    let mut lines = bytes[bom..].split_inclusive(|&b| b == b'\n');
    let first = lines.next()?;
    if trim_end(first) != b"---" || !first.ends_with(b"\n") {
        return None;
    }
    let mut offset = bom + first.len();
    for line in lines {
        offset += line.len();
        if trim_end(line) == b"---" && line.ends_with(b"\n") {
            return Some(offset);
        }
    }
    None
}

fn trim_end(line: &[u8]) -> &[u8] {
    line.trim_ascii_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: A\nweight: 2\n---\n# Body\ntext\n").unwrap();
        assert_eq!(s.yaml, "title: A\nweight: 2\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "# Body\ntext\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn no_front_matter() {
        let s = split("# Just text\n").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "# Just text\n");
    }

    #[test]
    fn body_offset_needs_the_whole_closing_line() {
        let text = "---\ntitle: A\n---\nBody";
        assert_eq!(
            body_offset(text.as_bytes()),
            Some(split(text).unwrap().body_offset)
        );
        assert_eq!(body_offset(b"---\ntitle: A\n--"), None);
        assert_eq!(
            body_offset(b"---\ntitle: A\n---"),
            None,
            "`----` may follow"
        );
        assert_eq!(body_offset(b"# no front matter\n---\n"), None);
        let bom = "\u{feff}---\r\ntitle: A\r\n---\r\nB";
        assert_eq!(
            body_offset(bom.as_bytes()),
            Some(split(bom).unwrap().body_offset)
        );
    }

    #[test]
    fn unclosed_fence() {
        assert!(split("---\ntitle: A\n# Body\n").is_none());
    }

    #[test]
    fn crlf_line_endings() {
        let s = split("---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body");
        assert_eq!(s.body_line, 4);
    }
}
